using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class DatasetShareConfiguration : IEntityTypeConfiguration<DatasetShare>
{
    public void Configure(EntityTypeBuilder<DatasetShare> builder)
    {
        builder.ToTable("dataset_shares");
        builder.Property(s => s.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(s => new { s.DatasetId, s.Team }).IsUnique();
        builder.HasOne<Dataset>().WithMany().HasForeignKey(s => s.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Team>().WithMany().HasForeignKey(s => s.Team).HasPrincipalKey(t => t.Name).OnDelete(DeleteBehavior.Cascade);
    }
}
