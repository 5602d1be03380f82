namespace SlmOps.Torch.Tests.Support;

/// <summary>Absolute and relative tolerance, as in torch.testing: |a - e| &lt;= atol + rtol * |e|.</summary>
public readonly record struct Tolerance(double Rtol, double Atol)
{
    /// <summary>Bit-exact: copies, shape ops, factories, seeded random draws, integer and boolean results.</summary>
    public static Tolerance Exact { get; } = new(0, 0);

    /// <summary>float32 elementwise math.</summary>
    public static Tolerance Elementwise { get; } = new(1e-5, 1e-6);

    /// <summary>Reductions, matmul, and gradients (sums whose order may differ with the thread count).</summary>
    public static Tolerance Reduction { get; } = new(1e-4, 1e-5);

    /// <summary>Whole blocks and optimizer steps, where the above compound through many ops.</summary>
    public static Tolerance Composite { get; } = new(2e-4, 2e-5);

    public Tolerance AtLeast(Tolerance other) => new(Math.Max(Rtol, other.Rtol), Math.Max(Atol, other.Atol));
}

public static class TensorAssert
{
    /// <summary>Same shape, same kind of dtype, and every element within tolerance; the message names the worst element.</summary>
    public static void Close(Tensor expected, Tensor actual, Tolerance tol, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        Assert.True(IsFloating(expected.dtype) == IsFloating(actual.dtype) && (IsFloating(expected.dtype) || expected.dtype == actual.dtype),
            $"{what}: dtype {actual.dtype}, expected {expected.dtype}");
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        var worst = -1;
        var worstExcess = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            var bound = tol.Atol + (tol.Rtol * Math.Abs(e[i]));
            var diff = Math.Abs(a[i] - e[i]);
            var bad = double.IsNaN(a[i]) != double.IsNaN(e[i]) || (!double.IsNaN(e[i]) && !(diff <= bound) && a[i] != e[i]);
            if (bad && (worst < 0 || diff - bound > worstExcess))
            {
                worst = i;
                worstExcess = diff - bound;
            }
        }
        Assert.True(worst < 0,
            worst < 0 ? "" : $"{what}: element {worst} is {a[worst]:R}, expected {e[worst]:R} " +
                             $"(|diff| {Math.Abs(a[worst] - e[worst]):E3} > atol {tol.Atol} + rtol {tol.Rtol}·|expected|)");
    }

    private static bool IsFloating(ScalarType t) =>
        t is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;
}
