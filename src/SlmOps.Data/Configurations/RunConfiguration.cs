using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.OwnedByTeam(r => r.Team);
        builder.ToTable("runs");
        builder.Property(r => r.Config).HasColumnType("jsonb");
        builder.Property(r => r.Outputs).HasColumnType("jsonb");
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.ParentRunId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.ClonedFromRunId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(r => r.CheckpointSha256).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        builder.HasIndex(r => new { r.Kind, r.CreatedAt });
    }
}
