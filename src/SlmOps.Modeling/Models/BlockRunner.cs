using SlmOps.Torch;

namespace SlmOps.Modeling.Models;

internal static class BlockRunner
{
    /// <summary>
    /// Applies blocks [0, count) in turn, disposing each intermediate as soon as the next exists. The
    /// result is always a new handle (the caller's x is never returned), so callers can dispose both.
    /// </summary>
    public static Tensor Run(Tensor x, int count, Func<int, torch.nn.Module<Tensor, Tensor>> block) =>
        Run(x, count, (i, h) => block(i).forward(h));

    /// <summary>The same with each block called as <paramref name="forward"/>(index, input).</summary>
    public static Tensor Run(Tensor x, int count, Func<int, Tensor, Tensor> forward)
    {
        if (count == 0) return x.reshape(x.shape);
        var h = forward(0, x);
        for (var i = 1; i < count; i++)
        {
            var next = forward(i, h);
            h.Dispose();
            h = next;
        }
        return h;
    }
}
