using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SlmOps.Benchmarks.Torch;

/// <summary>Result line printed by python/bench_gpt.py.</summary>
public sealed record PythonResult(string Torch, int Threads, double TokS, double[] Rates, double FirstLoss, double LastLoss, long Params);

/// <summary>Runs the PyTorch-eager side as a child process on the same init file and schedule.</summary>
public static class PythonSide
{
    public static PythonResult Run(BenchOptions o, string initPath)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "python", "bench_gpt.py");
        var psi = new ProcessStartInfo(o.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            script, "--init", initPath, "--device", o.Device,
            "--threads", o.Threads.ToString(CultureInfo.InvariantCulture),
            "--warmup", o.Warmup.ToString(CultureInfo.InvariantCulture),
            "--steps", o.Steps.ToString(CultureInfo.InvariantCulture),
            "--reps", o.Reps.ToString(CultureInfo.InvariantCulture),
        })
        {
            psi.ArgumentList.Add(a);
        }
        if (o.Bf16)
        {
            psi.ArgumentList.Add("--bf16");
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {o.Python}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{o.Python} {script} failed ({p.ExitCode}): {stderr.Result}");
        }
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonSerializer.Deserialize<PythonResult>(line, new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        }) ?? throw new InvalidOperationException($"unreadable result line: {line}");
    }
}
