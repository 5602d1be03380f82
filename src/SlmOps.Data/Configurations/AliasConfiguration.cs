using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class AliasConfiguration : IEntityTypeConfiguration<Alias>
{
    public void Configure(EntityTypeBuilder<Alias> builder)
    {
        builder.ToTable("aliases");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(a => new { a.TaskModelId, a.Name }).IsUnique();
        builder.HasOne(a => a.TaskModel).WithMany(m => m.Aliases).HasForeignKey(a => a.TaskModelId).OnDelete(DeleteBehavior.Cascade);

        // The composite key keeps an alias on versions of its own task model.
        builder.HasOne(a => a.SlmVersion).WithMany()
            .HasForeignKey(a => new { a.TaskModelId, a.SlmVersionId })
            .HasPrincipalKey(v => new { v.TaskModelId, v.Id })
            .OnDelete(DeleteBehavior.Restrict);
    }
}
