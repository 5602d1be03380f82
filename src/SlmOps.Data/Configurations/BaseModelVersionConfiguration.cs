using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class BaseModelVersionConfiguration : IEntityTypeConfiguration<BaseModelVersion>
{
    public void Configure(EntityTypeBuilder<BaseModelVersion> builder)
    {
        builder.ToTable("base_model_versions");
        builder.Property(v => v.Id).UseIdentityAlwaysColumn();
        builder.Property(v => v.Architecture).HasColumnType("jsonb");
        builder.Property(v => v.EvaluationMetrics).HasColumnType("jsonb");
        builder.HasIndex(v => new { v.BaseModelId, v.Version }).IsUnique();
        builder.HasOne(v => v.BaseModel).WithMany(m => m.Versions).HasForeignKey(v => v.BaseModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(v => v.WeightsSha256).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(v => v.TokenizerSha256).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Run>().WithMany().HasForeignKey(v => v.RunId).OnDelete(DeleteBehavior.SetNull);
    }
}
