using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class WorkerNodeConfiguration : IEntityTypeConfiguration<WorkerNode>
{
    public void Configure(EntityTypeBuilder<WorkerNode> builder)
    {
        builder.ToTable("workers");
        builder.Property(w => w.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(w => w.Name).IsUnique();
        builder.HasOne<Run>().WithMany().HasForeignKey(w => w.CurrentRunId).OnDelete(DeleteBehavior.SetNull);
    }
}
