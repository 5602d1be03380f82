using System.Globalization;
using System.Runtime.InteropServices;

namespace SlmOps.Modeling.Evaluation;

/// <summary>
/// CPU peak memory: the process's resident-set high-water mark (VmHWM in /proc/self/status), which Linux
/// lets a process reset by writing "5" to /proc/self/clear_refs. A method's peak is the high-water mark
/// reached while it ran minus the resident size when it started, i.e. what its training added on top
/// of the already-resident LLM, data and runtime. Null where /proc is not available.
/// </summary>
public static class ProcessMemory
{
    public static long? ResidentBytes() => StatusKb("VmRSS:");
    public static long? PeakResidentBytes() => StatusKb("VmHWM:");

    /// <summary>
    /// Returns freed heap pages to the kernel (glibc malloc_trim, so memory an earlier method freed does not
    /// hide this method's growth), then resets the high-water mark to the current resident size; false where
    /// the kernel refuses.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            if (OperatingSystem.IsLinux()) malloc_trim(UIntPtr.Zero);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc: the measure still works, it just may under-count re-used memory
        }
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(UIntPtr pad);

    private static long? StatusKb(string key)
    {
        if (!File.Exists("/proc/self/status")) return null;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return null;
    }
}
