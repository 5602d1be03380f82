using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class SweepTrialConfiguration : IEntityTypeConfiguration<SweepTrial>
{
    public void Configure(EntityTypeBuilder<SweepTrial> builder)
    {
        builder.ToTable("sweep_trials");
        builder.HasKey(t => new { t.SweepRunId, t.TrialIndex });
        builder.Property(t => t.Params).HasColumnType("jsonb");
        builder.HasIndex(t => t.RunId).IsUnique();
        builder.HasOne<Run>().WithMany().HasForeignKey(t => t.SweepRunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Run>().WithMany().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.SetNull);
    }
}
