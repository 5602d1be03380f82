using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

public static partial class torch
{
    /// <summary>
    /// Mixed precision for CUDA ops on this thread until disposed (matmuls and linear layers run in
    /// <paramref name="dtype"/>, reductions stay in float32). On the CPU device it is a documented
    /// no-op, so the same training code runs on CPU in float32. Asking for CUDA on a machine without
    /// it throws a TorchException saying CUDA is not available.
    /// </summary>
    public static IDisposable autocast(Device device, ScalarType dtype = ScalarType.BFloat16)
    {
        if (device.Type == DeviceType.CPU)
        {
            return NoOp.Instance;
        }

        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"autocast supports BFloat16 and Float16, not {dtype}", nameof(dtype));
        }

        return new AutocastGuard(dtype);
    }

    public static bool is_autocast_enabled() => N.SlmAutocast_is_enabled() != 0;

    private sealed class AutocastGuard : IDisposable
    {
        private readonly int previousEnabled;
        private readonly int previousDtype;
        private bool disposed;

        public unsafe AutocastGuard(ScalarType dtype)
        {
            int enabled, type;
            N.Check(N.SlmAutocast_enter((int)dtype, &enabled, &type));
            previousEnabled = enabled;
            previousDtype = type;
        }

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                N.Check(N.SlmAutocast_exit(previousEnabled, previousDtype));
            }
        }
    }

    private sealed class NoOp : IDisposable
    {
        public static readonly NoOp Instance = new();

        public void Dispose()
        {
        }
    }
}
