namespace SlmOps.Data.Entities;

/// <summary>A trial's metric at one of its sweep's ASHA rungs and the decision taken on it (continue or stop).</summary>
public sealed class SweepRung
{
    public Guid SweepRunId { get; set; }
    public long RungStep { get; set; }
    public Guid TrialRunId { get; set; }

    /// <summary>The step of the metric point that stood for the rung: the first at or after <see cref="RungStep"/>.</summary>
    public long MetricStep { get; set; }

    public double Value { get; set; }
    public bool Continued { get; set; }
    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;
}
