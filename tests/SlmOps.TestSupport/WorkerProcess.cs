using System.Diagnostics;
using System.Text;

namespace SlmOps.TestSupport;

/// <summary>The built SlmOps.Worker started as a child process with the given settings; killed on dispose.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _busStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process, string url) => (_process, Url) = (process, url);

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Its own HTTP address (health endpoints), e.g. http://127.0.0.1:41235.</summary>
    public string Url { get; }

    public int ProcessId => _process.Id;

    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan startDeadline)
    {
        var dll = HostExecutables.WorkerDll;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        var url = $"http://127.0.0.1:{TestStack.FreePort()}";
        start.ArgumentList.Add(url);
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__LogLevel__MassTransit"] = "Information"; // its "Bus started" line is the start signal

        var worker = new WorkerProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, url);
        worker._process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.Exited += (_, _) => worker._busStarted.TrySetException(new InvalidOperationException("The worker exited."));
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        try
        {
            // Its receive endpoint declares the priority queue; commands sent before that would meet no queue.
            await worker._busStarted.Task.WaitAsync(startDeadline);
        }
        catch (Exception error)
        {
            // Disposing waits for the exit and for the output readers to reach the end, so the last lines (often the
            // reason it exited) are in Output before it is read.
            await worker.DisposeAsync();
            throw new InvalidOperationException($"The worker did not start its bus: {error.Message}\n{worker.Output}", error);
        }
        return worker;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains("Bus started", StringComparison.Ordinal)) _busStarted.TrySetResult();
    }

    /// <summary>Kills it at once (SIGKILL, as kill -9: no shutdown code runs) and waits until it is gone.</summary>
    public ValueTask KillAsync() => DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(); // also drains redirected output
        _process.Dispose();
    }
}
