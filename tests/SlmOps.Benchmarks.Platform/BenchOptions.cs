namespace SlmOps.Benchmarks.Platform;

/// <summary>Command line: --jobs N --warmup N --batched-points N --single-points N --reps N --ingester-callers N --ingester-batch N.</summary>
public sealed record BenchOptions(int Jobs, int WarmupJobs, int BatchedPoints, int SinglePoints, int Reps, int IngesterCallers, int IngesterBatch)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(Jobs: 100, WarmupJobs: 3, BatchedPoints: 20_000, SinglePoints: 500, Reps: 5,
            IngesterCallers: 8, IngesterBatch: 500);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v > 0
                ? v : throw new ArgumentException($"{args[i]} needs a positive whole number after it.");
            options = args[i++] switch
            {
                "--jobs" => options with { Jobs = value },
                "--warmup" => options with { WarmupJobs = value },
                "--batched-points" => options with { BatchedPoints = value },
                "--single-points" => options with { SinglePoints = value },
                "--reps" => options with { Reps = value },
                "--ingester-callers" => options with { IngesterCallers = value },
                "--ingester-batch" => options with { IngesterBatch = value },
                var other => throw new ArgumentException($"Unknown option {other}; known: --jobs --warmup --batched-points --single-points --reps --ingester-callers --ingester-batch."),
            };
        }
        return options;
    }

    public override string ToString() =>
        $"jobs={Jobs} (+{WarmupJobs} warm-up) batched_points={BatchedPoints} single_points={SinglePoints} reps={Reps} ingester={IngesterCallers}x{IngesterBatch}";
}
