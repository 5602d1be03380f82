using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

// native/cuda.cpp: torch.cuda.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int SlmCuda_is_available();

    [LibraryImport(Library)]
    internal static partial int SlmCuda_device_count();

    [LibraryImport(Library)]
    internal static partial int SlmCuda_get_device_name(int device, byte* buffer, int capacity);

    [LibraryImport(Library)]
    internal static partial int SlmCuda_memory_stat(int device, int what, long* output);

    [LibraryImport(Library)]
    internal static partial int SlmCuda_reset_peak_memory_stats(int device);

    [LibraryImport(Library)]
    internal static partial int SlmCuda_synchronize(int device);

    [LibraryImport(Library)]
    internal static partial int SlmCuda_manual_seed_all(long seed);
}
