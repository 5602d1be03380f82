using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class DatasetVersionConfiguration : IEntityTypeConfiguration<DatasetVersion>
{
    public void Configure(EntityTypeBuilder<DatasetVersion> builder)
    {
        builder.ToTable("dataset_versions");
        builder.Property(v => v.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(v => new { v.DatasetId, v.Version }).IsUnique();
        builder.HasOne(v => v.Dataset).WithMany(d => d.Versions).HasForeignKey(v => v.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(v => v.Sha256).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(v => v.TokenizerSha256).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Artifact>().WithMany().HasForeignKey(v => v.PreparedArtifactSha256).OnDelete(DeleteBehavior.Restrict);
    }
}
