namespace SlmOps.Torch.Modules;

/// <summary>PyTorch's default initialisations, composed from core factories; torch.empty inside a <see cref="NoInitScope"/>.</summary>
internal static class Init
{
    /// <summary>U(-bound, bound), as <c>nn.init.uniform_</c>.</summary>
    public static Tensor Uniform(long[] shape, double bound, ScalarType? dtype, Device? device)
    {
        if (NoInitScope.IsActive) return torch.empty(shape, dtype: dtype, device: device);
        using var scope = torch.NewDisposeScope();
        var t = (torch.rand(shape, dtype: dtype, device: device) * (2 * bound)) - bound;
        return scope.MoveToOuter(t);
    }

    /// <summary>N(0, 1), as <c>nn.init.normal_</c> (Embedding's default).</summary>
    public static Tensor StandardNormal(long[] shape, ScalarType? dtype, Device? device) =>
        NoInitScope.IsActive ? torch.empty(shape, dtype: dtype, device: device) : torch.randn(shape, dtype: dtype, device: device);

    /// <summary>A constant (LayerNorm's ones and zeros).</summary>
    public static Tensor Constant(long[] shape, double value, ScalarType? dtype, Device? device) =>
        NoInitScope.IsActive ? torch.empty(shape, dtype: dtype, device: device) : torch.full(shape, value, dtype: dtype, device: device);

    /// <summary>
    /// nn.Linear's weight init, kaiming_uniform_(a = sqrt 5): gain sqrt(2 / (1 + a^2)) = sqrt(1/3) times
    /// sqrt(3 / fan_in), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)). The bias uses the same bound.
    /// </summary>
    public static double LinearBound(long fanIn) => fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;
}
