using System.Runtime.InteropServices;

namespace SlmOps.Worker.Runs;

/// <summary>Copies of local files that cost nothing when they can: a hard link (same file system), else a copy.</summary>
public static class LocalFiles
{
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);

    public static void LinkOrCopy(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (File.Exists(destination)) File.Delete(destination);
        if (OperatingSystem.IsLinux() && Link(source, destination) == 0) return;
        File.Copy(source, destination);
    }

    /// <summary>Every file of <paramref name="source"/> (recursively) into <paramref name="destination"/>.</summary>
    public static void LinkOrCopyFolder(string source, string destination, Func<string, bool>? include = null)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (include is null || include(relative)) LinkOrCopy(file, Path.Combine(destination, relative));
        }
    }
}
