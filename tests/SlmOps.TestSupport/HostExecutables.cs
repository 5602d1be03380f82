using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace SlmOps.TestSupport;

/// <summary>The built hosts' entry points, and a run of one to its exit (a command, or a host that refuses to start).</summary>
public static class HostExecutables
{
    public static string WebDll => Built("WebDll");
    public static string WorkerDll => Built("WorkerDll");

    /// <summary>
    /// Runs <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> in the dll's folder with this process's
    /// environment changed by <paramref name="environment"/> (a null value removes the variable); its exit code and its
    /// stdout and stderr together. Killed, and an exception thrown, past <paramref name="deadline"/>.
    /// </summary>
    public static async Task<(int Exit, string Output)> RunToExitAsync(
        string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan deadline)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{Path.GetFileName(dll)} did not exit within {deadline}:\n{output}");
        }
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string Built(string key)
    {
        var dll = typeof(HostExecutables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the host first; its dll is missing at {dll}.", dll);
        return dll;
    }
}
