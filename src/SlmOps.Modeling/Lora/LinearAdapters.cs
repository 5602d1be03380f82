using System.Runtime.CompilerServices;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Lora;

/// <summary>
/// Lets a low-rank adapter ride along a Linear layer without changing the model's module tree (so its
/// state dict, checkpoints and PyTorch reader stay as they are). The models call
/// <see cref="Forward"/> instead of <c>linear.forward</c>; with nothing attached it is the same call.
/// </summary>
public static class LinearAdapters
{
    private static readonly ConditionalWeakTable<Linear, LoraLayer> Attached = new();

    public static Tensor Forward(Linear linear, Tensor x)
    {
        var y = linear.forward(x);
        if (!Attached.TryGetValue(linear, out var lora)) return y;
        using (y)
        using (var delta = lora.forward(x))
            return y + delta;
    }

    public static void Attach(Linear linear, LoraLayer lora) => Attached.AddOrUpdate(linear, lora);

    public static void Detach(Linear linear) => Attached.Remove(linear);

    public static bool IsAttached(Linear linear) => Attached.TryGetValue(linear, out _);
}
