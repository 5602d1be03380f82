using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

// Seeds, generator state (for exact checkpoint resume) and intra-op threads.
public static partial class torch
{
    /// <summary>Seeds the CPU generator and, when present, every CUDA generator (as torch.manual_seed).</summary>
    public static void manual_seed(long seed) => N.Check(N.SlmRandom_manual_seed(seed));

    /// <summary>The CPU generator's state as a UInt8 tensor.</summary>
    public static Tensor get_rng_state() => Tensor.From(N.SlmRandom_get_state((int)DeviceType.CPU, -1));

    public static void set_rng_state(Tensor state) => N.Check(N.SlmRandom_set_state((int)DeviceType.CPU, -1, state.Handle));

    public static int get_num_threads() => N.SlmThreads_get_num_threads();

    public static void set_num_threads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        N.Check(N.SlmThreads_set_num_threads(threads));
    }
}
