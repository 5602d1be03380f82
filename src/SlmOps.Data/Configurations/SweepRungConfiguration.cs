using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class SweepRungConfiguration : IEntityTypeConfiguration<SweepRung>
{
    public void Configure(EntityTypeBuilder<SweepRung> builder)
    {
        builder.ToTable("sweep_rungs");
        builder.HasKey(r => new { r.SweepRunId, r.RungStep, r.TrialRunId });
        builder.HasIndex(r => r.TrialRunId);
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.SweepRunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.TrialRunId).OnDelete(DeleteBehavior.Cascade);
    }
}
