using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.OwnedByTeam(k => k.Team);
        builder.ToTable("api_keys");
        builder.Property(k => k.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(k => k.Prefix).IsUnique();
    }
}
