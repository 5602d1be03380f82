using System.Diagnostics;
using System.Text.Json;

namespace SlmOps.Benchmarks.Serving;

/// <summary>Runs pytorch_peer.py (PyTorch eager, same checkpoint, cache design, prompt, tokens and threads) and reads its rates.</summary>
internal static class PyTorchPeer
{
    public sealed record Result(double[] TokensPerSecond, double[] PrefillMs);

    public static Result Run(string checkpointDir, IReadOnlyList<int> prompt, int tokens, int threads, int reps)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch_peer.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { script, checkpointDir, "--prompt", string.Join(",", prompt), "--tokens", $"{tokens}", "--threads", $"{threads}", "--reps", $"{reps}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The peer sets its own thread count; keep OpenMP from pinning a different one through the environment.
        start.Environment.Remove("OMP_NUM_THREADS");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"pytorch_peer.py failed ({process.ExitCode}): {stderr.Result}");
        using var json = JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        var threadsUsed = root.GetProperty("threads").GetInt32();
        if (threadsUsed != threads) throw new InvalidOperationException($"The PyTorch peer ran on {threadsUsed} threads, not {threads}.");
        return new Result(
            root.GetProperty("tok_s").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            root.GetProperty("prefill_ms").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }
}
