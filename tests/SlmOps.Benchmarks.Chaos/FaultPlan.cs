namespace SlmOps.Benchmarks.Chaos;

public enum FaultKind { WorkerKill, PostgresRestart, BrokerRestart, WebRestart }

/// <summary>
/// One fault: when (the share of the soak's work done, 0-1, so the faults land while runs are open on a fast machine
/// and a slow one alike), what, and how long the component stays down.
/// </summary>
public sealed record Fault(double AtProgress, FaultKind Kind, double DownSeconds);

/// <summary>The soak's faults at random but seeded moments: the same seed gives the same plan.</summary>
public static class FaultPlan
{
    /// <summary>Faults fall between 3% and 80% of the work, in a random order of kinds.</summary>
    public static IReadOnlyList<Fault> Make(ChaosOptions options)
    {
        var random = new Random(options.Seed);
        var kinds = Enumerable.Repeat(FaultKind.WorkerKill, options.WorkerKills)
            .Concat(Enumerable.Repeat(FaultKind.PostgresRestart, options.PgRestarts))
            .Concat(Enumerable.Repeat(FaultKind.BrokerRestart, options.BrokerRestarts))
            .Concat(Enumerable.Repeat(FaultKind.WebRestart, options.WebRestarts))
            .OrderBy(_ => random.Next()).ToList();
        var moments = kinds.Select(_ => 0.03 + random.NextDouble() * 0.77).Order().ToList();
        return kinds.Zip(moments, (kind, at) => new Fault(Math.Round(at, 3), kind, Math.Round(Down(kind, random), 1))).ToList();
    }

    /// <summary>A killed worker is back after 2-5 s (a supervisor's restart); the services are down 1-3 s.</summary>
    private static double Down(FaultKind kind, Random random) =>
        kind == FaultKind.WorkerKill ? 2 + random.NextDouble() * 3 : 1 + random.NextDouble() * 2;
}
