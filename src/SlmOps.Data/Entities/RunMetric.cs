namespace SlmOps.Data.Entities;

/// <summary>
/// One metric point as readers see it, from the run_metrics view over metric_series and metric_points; (RunId, Key,
/// Step) is its identity. Read-only here: write batches with RunMetricWriter.
/// </summary>
public sealed class RunMetric
{
    public Guid RunId { get; set; }
    public required string Key { get; set; }
    public long Step { get; set; }
    public double Value { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
