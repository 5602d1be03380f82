namespace SlmOps.Contracts.Workers;

/// <summary>
/// Sent every couple of seconds while a run executes: liveness, the latest progress, the metric points and log
/// lines since the previous heartbeat. Points are idempotent on (run, key, step), so a retried heartbeat is harmless.
/// </summary>
public sealed record RunHeartbeat
{
    public required int Attempt { get; init; }
    public required string Worker { get; init; }

    /// <summary>The gang rank this worker runs (0 for every run that is not gang-scheduled): only rank 0 reports progress.</summary>
    public int Rank { get; init; }

    public long Step { get; init; }
    public long TotalSteps { get; init; }
    public double? Loss { get; init; }
    public double? TokensPerSecond { get; init; }
    public double? LearningRate { get; init; }
    public IReadOnlyList<MetricReport> Metrics { get; init; } = [];
    public IReadOnlyList<LogReport> Logs { get; init; } = [];
}

public sealed record MetricReport(string Key, long Step, double Value, DateTimeOffset At);

/// <summary>A run event line; <see cref="Level"/> is "info", "warning" or "error".</summary>
public sealed record LogReport(string Level, string Message, DateTimeOffset At);

/// <summary>
/// <see cref="Holds"/> is false once this attempt no longer owns the run (the sweeper re-queued it, or it ended):
/// the worker stops. <see cref="CancelRequested"/> asks it to stop at the next step boundary.
/// </summary>
public sealed record RunHeartbeatResponse(bool Holds, bool CancelRequested);

/// <summary>A training checkpoint the worker uploaded (its folder manifest and every file are in the artifact store).</summary>
public sealed record RunCheckpointReport(int Attempt, long Step, string ManifestSha256);
