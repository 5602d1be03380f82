using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class AliasHistoryEntryConfiguration : IEntityTypeConfiguration<AliasHistoryEntry>
{
    public void Configure(EntityTypeBuilder<AliasHistoryEntry> builder)
    {
        builder.ToTable("alias_history");
        builder.Property(h => h.Id).UseIdentityAlwaysColumn();
        builder.HasOne<TaskModel>().WithMany().HasForeignKey(h => h.TaskModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SlmVersion>().WithMany().HasForeignKey(h => h.FromSlmVersionId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<SlmVersion>().WithMany().HasForeignKey(h => h.ToSlmVersionId).OnDelete(DeleteBehavior.SetNull);
    }
}
