using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class TaskModelShareConfiguration : IEntityTypeConfiguration<TaskModelShare>
{
    public void Configure(EntityTypeBuilder<TaskModelShare> builder)
    {
        builder.ToTable("task_model_shares");
        builder.Property(s => s.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(s => new { s.TaskModelId, s.Team }).IsUnique();
        builder.HasOne<TaskModel>().WithMany().HasForeignKey(s => s.TaskModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Team>().WithMany().HasForeignKey(s => s.Team).HasPrincipalKey(t => t.Name).OnDelete(DeleteBehavior.Cascade);
    }
}
