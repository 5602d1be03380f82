using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

// native/autograd.cpp: autograd, grad mode, random state, threads, autocast.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int SlmAutograd_backward(TensorHandle self, TensorHandle gradient, int retainGraph);

    [LibraryImport(Library)]
    internal static partial int SlmAutograd_grad(TensorHandle self, IntPtr* output);

    [LibraryImport(Library)]
    internal static partial int SlmAutograd_set_grad(TensorHandle self, TensorHandle grad);

    [LibraryImport(Library)]
    internal static partial int SlmAutograd_is_grad_enabled();

    [LibraryImport(Library)]
    internal static partial void SlmAutograd_set_grad_enabled(int enabled);

    [LibraryImport(Library)]
    internal static partial int SlmRandom_manual_seed(long seed);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmRandom_get_state(int deviceType, int deviceIndex);

    [LibraryImport(Library)]
    internal static partial int SlmRandom_set_state(int deviceType, int deviceIndex, TensorHandle state);

    [LibraryImport(Library)]
    internal static partial int SlmThreads_get_num_threads();

    [LibraryImport(Library)]
    internal static partial int SlmThreads_set_num_threads(int n);

    [LibraryImport(Library)]
    internal static partial int SlmAutocast_enter(int dtype, int* previousEnabled, int* previousDtype);

    [LibraryImport(Library)]
    internal static partial int SlmAutocast_exit(int previousEnabled, int previousDtype);

    [LibraryImport(Library)]
    internal static partial int SlmAutocast_is_enabled();
}
