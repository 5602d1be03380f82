using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class MetricSeriesPointConfiguration : IEntityTypeConfiguration<MetricSeriesPoint>
{
    public void Configure(EntityTypeBuilder<MetricSeriesPoint> builder)
    {
        builder.ToTable("metric_points");
        builder.HasKey(p => new { p.SeriesId, p.Step });
        // No foreign key to metric_series (migration 0007): RunMetricWriter resolves a batch's series once instead of
        // a lookup per point, and a trigger on metric_series deletes the points of a deleted series.
    }
}
