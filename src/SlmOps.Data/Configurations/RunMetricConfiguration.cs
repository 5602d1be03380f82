using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

/// <summary>The run_metrics view (migration 0007): series and points joined back into (run, key, step) rows.</summary>
internal sealed class RunMetricConfiguration : IEntityTypeConfiguration<RunMetric>
{
    public void Configure(EntityTypeBuilder<RunMetric> builder)
    {
        builder.ToView("run_metrics");
        builder.HasNoKey();
    }
}
