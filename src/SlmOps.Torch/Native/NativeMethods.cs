using System.Reflection;
using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

/// <summary>
/// P/Invoke surface of libslmops_torch (native/*.cpp), one partial file per native area.
/// Failing exports return a null handle or a non-zero status; <see cref="Check(TensorHandle)"/>
/// and <see cref="Check(int)"/> turn that into a <see cref="TorchException"/>, so the success
/// path costs no extra native call.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "slmops_torch";

    /// <summary>Overrides where the native library is loaded from (e.g. a CUDA build on a GPU box).</summary>
    internal const string LibraryPathVariable = "SLMOPS_TORCH_NATIVE";

    static NativeMethods()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        var overridePath = Environment.GetEnvironmentVariable(LibraryPathVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            return Load(overridePath);
        }

        foreach (var directory in new[] { Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory })
        {
            if (string.IsNullOrEmpty(directory))
            {
                continue;
            }

            var candidate = Path.Combine(directory, "libslmops_torch.so");
            if (File.Exists(candidate))
            {
                return Load(candidate);
            }
        }

        // Fall back to the loader's own search (LD_LIBRARY_PATH etc.).
        return NativeLibrary.TryLoad("libslmops_torch.so", assembly, searchPath, out var loaded) ? loaded : IntPtr.Zero;
    }

    // The usual failure is libtorch itself missing at run time; say how to get it.
    private static IntPtr Load(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"Could not load {path}: {e.Message}. It needs the libtorch it was built against: install it " +
                $"(deploy/install.sh or `apt-get install libtorch-dev libopenblas0-pthread`), or set {LibraryPathVariable} " +
                "to a libslmops_torch.so built for this machine's libtorch.",
                e);
        }
    }

    internal static TensorHandle Check(TensorHandle result)
    {
        if (result.IsInvalid)
        {
            throw LastError();
        }

        return result;
    }

    internal static void Check(int status)
    {
        if (status != 0)
        {
            throw LastError();
        }
    }

    internal static TorchException LastError()
    {
        var message = Marshal.PtrToStringUTF8(SlmErr_last()) ?? "unknown libtorch error";
        return new TorchException(TorchException.Clean(message));
    }

    [LibraryImport(Library)]
    private static partial IntPtr SlmErr_last();
}
