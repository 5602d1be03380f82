using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class SlmVersionConfiguration : IEntityTypeConfiguration<SlmVersion>
{
    public void Configure(EntityTypeBuilder<SlmVersion> builder)
    {
        builder.ToTable("slm_versions");
        builder.Property(v => v.Id).UseIdentityAlwaysColumn();
        builder.Property(v => v.Architecture).HasColumnType("jsonb");
        builder.Property(v => v.EvaluationMetrics).HasColumnType("jsonb");
        builder.HasIndex(v => new { v.TaskModelId, v.Version }).IsUnique();
        builder.HasAlternateKey(v => new { v.TaskModelId, v.Id });
        builder.HasOne(v => v.TaskModel).WithMany(m => m.Versions).HasForeignKey(v => v.TaskModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(v => v.BaseModelVersion).WithMany().HasForeignKey(v => v.BaseModelVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(v => v.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Run>().WithMany().HasForeignKey(v => v.RunId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(v => v.WeightsSha256).OnDelete(DeleteBehavior.Restrict);
    }
}
