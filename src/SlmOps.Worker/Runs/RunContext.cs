using SlmOps.Data.Entities;

namespace SlmOps.Worker.Runs;

/// <summary>What a handler gets: the claimed run, where to write, and a progress sink.</summary>
public sealed record RunContext(Run Run, ArtifactLayout Layout, Action<long, long, double?, double?, double?> Report, CancellationToken Cancellation)
{
    /// <summary>Stores the metric points reported so far now, on the calling thread.</summary>
    public Action FlushMetrics { get; init; } = static () => { };

    /// <summary>Records any other metric (key, step, value); flushed with the next heartbeat like Report's points.</summary>
    public Action<string, long, double> Metric { get; init; } = static (_, _, _) => { };
}
