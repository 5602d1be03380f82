using System.Globalization;

namespace SlmOps.Benchmarks.Torch;

/// <summary>Command-line options; every default is printed so a result says how it was produced.</summary>
public sealed record BenchOptions
{
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int Warmup { get; init; } = 3;
    public int Steps { get; init; } = 5;
    public int Reps { get; init; } = 3;
    public int Batch { get; init; } = 16;
    public string Device { get; init; } = "cpu";
    public bool Bf16 { get; init; }
    public string Python { get; init; } = "/usr/bin/python3";
    public bool SkipPython { get; init; }
    public long Seed { get; init; } = 1234;
    public double Lr { get; init; } = 3e-4;
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Data-parallel gradient bucket cap in MiB, both sides (PyTorch DDP's bucket_cap_mb; 25 is its default).</summary>
    public int BucketMb { get; init; } = 25;

    /// <summary>Peak dense bf16 throughput used for MFU (H100 SXM: ~989 TFLOP/s).</summary>
    public double PeakTflops { get; init; } = 989;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Dbl() => double.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--threads" => o with { Threads = Int() },
                "--warmup" => o with { Warmup = Int() },
                "--steps" => o with { Steps = Int() },
                "--reps" => o with { Reps = Int() },
                "--batch" => o with { Batch = Int() },
                "--device" => o with { Device = Next() },
                "--bf16" => o with { Bf16 = true },
                "--python" => o with { Python = Next() },
                "--skip-python" => o with { SkipPython = true },
                "--seed" => o with { Seed = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--lr" => o with { Lr = Dbl() },
                "--bucket-mb" => o with { BucketMb = Int() },
                "--peak-tflops" => o with { PeakTflops = Dbl() },
                var other => throw new ArgumentException($"unknown option {other}"),
            };
        }
        if (o.Threads < 1 || o.BucketMb < 1 || o.Steps < 1 || o.Reps < 1 || o.Warmup < 0)
        {
            throw new ArgumentException("--threads, --steps and --reps must be >= 1, --warmup >= 0");
        }
        return o;
    }
}
