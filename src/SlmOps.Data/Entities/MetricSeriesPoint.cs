namespace SlmOps.Data.Entities;

/// <summary>One stored metric point of a series; (SeriesId, Step) is its identity. Write batches with RunMetricWriter.</summary>
public sealed class MetricSeriesPoint
{
    public long SeriesId { get; set; }
    public long Step { get; set; }
    public double Value { get; set; }
    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;
}
