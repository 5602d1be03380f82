namespace SlmOps.Web.Sweeps;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014; Vigna's reference constants): a tiny generator whose sequence is fixed by its
/// definition, so a sweep's seed names the same trials on every .NET version and machine (System.Random promises that
/// for neither).
/// </summary>
public sealed class SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong Next()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Uniform in [0, 1), with the 53 bits a double holds.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
