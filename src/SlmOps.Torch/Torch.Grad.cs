using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

// Grad mode: libtorch keeps it per thread, like these guards.
public static partial class torch
{
    /// <summary>Disables gradient recording on this thread until the guard is disposed.</summary>
    public static IDisposable no_grad() => new GradModeGuard(false);

    /// <summary>Enables gradient recording on this thread until the guard is disposed.</summary>
    public static IDisposable enable_grad() => new GradModeGuard(true);

    public static IDisposable set_grad_enabled(bool enabled) => new GradModeGuard(enabled);

    public static bool is_grad_enabled() => N.SlmAutograd_is_grad_enabled() != 0;

    private sealed class GradModeGuard : IDisposable
    {
        private readonly int previous;
        private bool disposed;

        public GradModeGuard(bool enabled)
        {
            previous = N.SlmAutograd_is_grad_enabled();
            N.SlmAutograd_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                N.SlmAutograd_set_grad_enabled(previous);
            }
        }
    }
}
