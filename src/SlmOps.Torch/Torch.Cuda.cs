using System.Text;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

public static partial class torch
{
    /// <summary>torch.cuda. Every call that needs a GPU throws a TorchException saying CUDA is not available when there is none.</summary>
    public static class cuda
    {
        public static bool is_available() => N.SlmCuda_is_available() != 0;

        public static int device_count() => N.SlmCuda_device_count();

        public static unsafe string get_device_name(int device = 0)
        {
            var buffer = stackalloc byte[256];
            buffer[0] = 0;
            N.Check(N.SlmCuda_get_device_name(device, buffer, 256));
            return Encoding.UTF8.GetString(new ReadOnlySpan<byte>(buffer, 256).TrimEnd((byte)0).ToArray());
        }

        /// <summary>Bytes currently held by tensors on the device (caching allocator statistic).</summary>
        public static long memory_allocated(int device = 0) => Stat(device, 0);

        /// <summary>Peak of <see cref="memory_allocated"/> since start or the last reset.</summary>
        public static long max_memory_allocated(int device = 0) => Stat(device, 1);

        public static void reset_peak_memory_stats(int device = 0) => N.Check(N.SlmCuda_reset_peak_memory_stats(device));

        public static void synchronize(int device = 0) => N.Check(N.SlmCuda_synchronize(device));

        public static void manual_seed_all(long seed) => N.Check(N.SlmCuda_manual_seed_all(seed));

        public static Tensor get_rng_state(int device = 0) => Tensor.From(N.SlmRandom_get_state((int)DeviceType.CUDA, device));

        public static void set_rng_state(Tensor state, int device = 0) => N.Check(N.SlmRandom_set_state((int)DeviceType.CUDA, device, state.Handle));

        private static unsafe long Stat(int device, int what)
        {
            long value;
            N.Check(N.SlmCuda_memory_stat(device, what, &value));
            return value;
        }
    }
}
