using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Models;

internal static class ModelTestData
{
    public static Tensor Ids(int batch, int length, int vocab, int seed)
    {
        var rng = new Random(seed);
        var data = new long[batch * length];
        for (var i = 0; i < data.Length; i++) data[i] = rng.Next(vocab);
        return torch.tensor(data, [batch, length]);
    }

    public static float[] Row(Tensor logits, int b, int t)
    {
        using var row = logits.slice(0, b, b + 1).slice(1, t, t + 1);
        return row.contiguous().ToArray<float>();
    }
}
