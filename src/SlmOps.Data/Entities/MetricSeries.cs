namespace SlmOps.Data.Entities;

/// <summary>One metric of one run (run, key): its points are <see cref="MetricSeriesPoint"/> rows under its id.</summary>
public sealed class MetricSeries
{
    public long Id { get; set; }
    public Guid RunId { get; set; }
    public required string Key { get; set; }
}
