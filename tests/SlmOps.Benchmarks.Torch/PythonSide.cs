using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlmOps.Benchmarks.Torch;

/// <summary>
/// The PyTorch-eager side as a child process (python/bench_gpt.py) on the same init file: it warms up when
/// started, then runs one timed repetition per <see cref="Rep"/>, so the two sides' repetitions can alternate.
/// </summary>
public sealed class PythonSide : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly Process _process;
    private readonly Task<string> _stderr;

    public sealed record ReadyLine(bool Ready, string Torch, int Threads, double? FirstLoss, long Params);

    public sealed record RepLine([property: JsonPropertyName("tok_s")] double TokS, double Loss, double[] PhasesMs);

    private ReadyLine? _ready;

    private PythonSide(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The script's first line, sent when its warm-up is done (waits for it).</summary>
    public ReadyLine Ready => _ready ??= ReadLine<ReadyLine>();

    /// <summary>Starts the script and waits until its warm-up is done.</summary>
    public static PythonSide Start(BenchOptions o, string initPath)
    {
        var side = Launch(o, initPath);
        _ = side.Ready;
        return side;
    }

    /// <summary>
    /// Starts the script without waiting (the ranks of a data-parallel run must all be started before any can warm up);
    /// <paramref name="extra"/> are more arguments (--world, --rank, --port, --batch, --save-final).
    /// </summary>
    public static PythonSide Launch(BenchOptions o, string initPath, params string[] extra)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "python", "bench_gpt.py");
        var psi = new ProcessStartInfo(o.Python)
        {
            RedirectStandardInput = true,
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
        })
        {
            psi.ArgumentList.Add(a);
        }
        if (o.Bf16)
        {
            psi.ArgumentList.Add("--bf16");
        }
        foreach (var a in extra)
        {
            psi.ArgumentList.Add(a);
        }
        return new PythonSide(Process.Start(psi) ?? throw new InvalidOperationException($"could not start {o.Python}"));
    }

    public RepLine Rep()
    {
        StartRep();
        return ReadRep();
    }

    /// <summary>Asks for one repetition without waiting (the ranks of a data-parallel run must all be asked first).</summary>
    public void StartRep()
    {
        _process.StandardInput.WriteLine("rep");
        _process.StandardInput.Flush();
    }

    public RepLine ReadRep() => ReadLine<RepLine>();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Close();
            _process.WaitForExit(30_000);
        }
        _process.Dispose();
    }

    private T ReadLine<T>()
    {
        var line = _process.StandardOutput.ReadLine();
        if (line is null)
        {
            _process.WaitForExit();
            throw new InvalidOperationException($"bench_gpt.py exited ({_process.ExitCode}): {_stderr.Result}");
        }
        return JsonSerializer.Deserialize<T>(line, Json) ?? throw new InvalidOperationException($"unreadable line: {line}");
    }
}
