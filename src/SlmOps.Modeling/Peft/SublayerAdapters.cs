using System.Runtime.CompilerServices;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>The two sublayers of every block: the time mixing (fft) or attention (gpt), and the MLP.</summary>
public enum Sublayer
{
    Mixing = 0,
    Mlp = 1,
}

/// <summary>
/// Lets bottleneck adapters ride along a block's sublayer outputs without changing the model's module tree (its state
/// dict, checkpoints and PyTorch reader stay as they are), the way <see cref="Lora.LinearAdapters"/> does for Linear
/// layers. Blocks call <see cref="After"/> on each sublayer's output before its residual sum; with nothing attached it
/// is the same tensor.
/// </summary>
public static class SublayerAdapters
{
    private static readonly ConditionalWeakTable<torch.nn.Module, BottleneckAdapter[]> Attached = new();

    /// <summary>The sublayer output with the block's adapter applied (a new handle either way: the caller disposes both).</summary>
    public static Tensor After(torch.nn.Module block, Sublayer sublayer, Tensor output)
    {
        if (!Attached.TryGetValue(block, out var adapters)) return output.alias();
        return adapters[(int)sublayer].forward(output);
    }

    public static void Attach(torch.nn.Module block, BottleneckAdapter mixing, BottleneckAdapter mlp) =>
        Attached.AddOrUpdate(block, [mixing, mlp]);

    public static void Detach(torch.nn.Module block) => Attached.Remove(block);

    public static bool IsAttached(torch.nn.Module block) => Attached.TryGetValue(block, out _);
}
