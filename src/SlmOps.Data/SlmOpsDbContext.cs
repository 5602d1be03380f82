using Microsoft.EntityFrameworkCore;
using SlmOps.Data.Entities;
using SlmOps.Data.Model;

namespace SlmOps.Data;

/// <summary>
/// The EF Core view of the schema in /migrations. The SQL files are the schema; this model maps it, and
/// SlmOps.Data.Tests fails when the two drift apart.
/// </summary>
public sealed class SlmOpsDbContext(DbContextOptions<SlmOpsDbContext> options) : DbContext(options)
{
    public DbSet<Artifact> Artifacts => Set<Artifact>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunMetric> RunMetrics => Set<RunMetric>();
    public DbSet<MetricSeries> MetricSeries => Set<MetricSeries>();
    public DbSet<MetricSeriesPoint> MetricPoints => Set<MetricSeriesPoint>();
    public DbSet<RunEvent> RunEvents => Set<RunEvent>();
    public DbSet<LineageEdge> LineageEdges => Set<LineageEdge>();
    public DbSet<BaseModel> BaseModels => Set<BaseModel>();
    public DbSet<BaseModelVersion> BaseModelVersions => Set<BaseModelVersion>();
    public DbSet<TaskModel> TaskModels => Set<TaskModel>();
    public DbSet<SlmVersion> SlmVersions => Set<SlmVersion>();
    public DbSet<Alias> Aliases => Set<Alias>();
    public DbSet<AliasHistoryEntry> AliasHistory => Set<AliasHistoryEntry>();
    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<WorkerNode> Workers => Set<WorkerNode>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<DatasetShare> DatasetShares => Set<DatasetShare>();
    public DbSet<TaskModelShare> TaskModelShares => Set<TaskModelShare>();
    public DbSet<SweepTrial> SweepTrials => Set<SweepTrial>();
    public DbSet<SweepRung> SweepRungs => Set<SweepRung>();
    public DbSet<RunRank> RunRanks => Set<RunRank>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SlmOpsDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        SlmOpsModelConventions.Apply(configurationBuilder);
}
