namespace SlmOps.Modeling.Data;

/// <summary>
/// A tiny PRNG whose whole state is one ulong, so a sampler's position can be saved in a checkpoint
/// and restored exactly (System.Random's state cannot be read out).
/// </summary>
public struct SplitMix64(ulong state)
{
    public ulong State { readonly get; private set; } = state;

    public ulong Next()
    {
        var z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound) without modulo bias (rejection sampling).</summary>
    public long NextBelow(long bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var b = (ulong)bound;
        var limit = ulong.MaxValue - ulong.MaxValue % b;
        ulong x;
        do x = Next(); while (x >= limit);
        return (long)(x % b);
    }

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
