using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class MetricSeriesConfiguration : IEntityTypeConfiguration<MetricSeries>
{
    public void Configure(EntityTypeBuilder<MetricSeries> builder)
    {
        builder.ToTable("metric_series");
        builder.Property(s => s.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(s => new { s.RunId, s.Key }).IsUnique();
        builder.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
