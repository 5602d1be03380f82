namespace SlmOps.Data.Entities;

/// <summary>One metric point; (RunId, Key, Step) is its identity. Write batches with RunMetricWriter.</summary>
public sealed class RunMetric
{
    public Guid RunId { get; set; }
    public required string Key { get; set; }
    public long Step { get; set; }
    public double Value { get; set; }
    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;
}
