using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

internal sealed class RunRankConfiguration : IEntityTypeConfiguration<RunRank>
{
    public void Configure(EntityTypeBuilder<RunRank> builder)
    {
        builder.ToTable("run_ranks");
        builder.HasKey(r => new { r.RunId, r.Attempt, r.Rank });
        builder.HasIndex(r => new { r.RunId, r.Attempt, r.WorkerName }).IsUnique().HasFilter("NOT local AND worker_name IS NOT NULL")
            .HasDatabaseName("run_ranks_one_per_worker_idx");
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
