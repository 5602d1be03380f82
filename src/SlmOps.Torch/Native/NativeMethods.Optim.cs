using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

// native/optim.cpp: whole-model optimizer steps, one call each.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int SlmOptim_adamw_step(IntPtr* parameters, IntPtr* expAvgs, IntPtr* expAvgSqs, long* steps, long n, double lr, double beta1, double beta2, double eps, double weightDecay);

    [LibraryImport(Library)]
    internal static partial int SlmOptim_sgd_step(IntPtr* parameters, IntPtr* momentumBuffers, long n, double lr, double momentum, double weightDecay);

    [LibraryImport(Library)]
    internal static partial int SlmOptim_zero_grad(IntPtr* parameters, long n, int setToNone);

    [LibraryImport(Library)]
    internal static partial int SlmOptim_clip_grad_norm(IntPtr* parameters, long n, double maxNorm, double* totalNorm);
}
