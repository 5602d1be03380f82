using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class RunMetricConfiguration : IEntityTypeConfiguration<RunMetric>
{
    public void Configure(EntityTypeBuilder<RunMetric> builder)
    {
        builder.ToTable("run_metrics");
        builder.HasKey(m => new { m.RunId, m.Key, m.Step });
        // No foreign key (migration 0006): RunMetricWriter checks and KEY SHARE-locks the runs of a batch once, and a
        // trigger on runs deletes their points, so the per-point lookup is gone from the ingestion path.
    }
}
