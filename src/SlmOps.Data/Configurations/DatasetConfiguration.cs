using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.OwnedByTeam(d => d.Team);
        builder.ToTable("datasets");
        builder.Property(d => d.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(d => d.Name).IsUnique();
    }
}
