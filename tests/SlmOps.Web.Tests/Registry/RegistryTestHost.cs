using SlmOps.Contracts;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Registry;

/// <summary>
/// The web app on its own database, with one base model version and two dataset versions seeded. Tests add task
/// models and SLM versions of their own (unique task names), straight through <see cref="SlmOpsDbContext"/>.
/// </summary>
public class RegistryTestHost : ApiTestHost
{
    public const string Weights = "1111111111111111111111111111111111111111111111111111111111111111";
    public const string Tokenizer = "2222222222222222222222222222222222222222222222222222222222222222";

    public long BaseModelVersionId { get; private set; }
    public long DatasetVersionA { get; private set; }
    public long DatasetVersionB { get; private set; }
    public Guid PretrainRunId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = CreateDbContext();
        db.Artifacts.AddRange(
            new Artifact { Sha256 = Weights, SizeBytes = 10, MediaType = "application/octet-stream", Uri = "w" },
            new Artifact { Sha256 = Tokenizer, SizeBytes = 10, MediaType = "application/json", Uri = "t" });
        var dataset = new Dataset { Name = "reviews", CreatedBy = "test" };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        var a = new DatasetVersion { DatasetId = dataset.Id, Version = 1, Sha256 = Tokenizer, SizeBytes = 10, Format = DatasetFormat.Text, CreatedBy = "test" };
        var b = new DatasetVersion { DatasetId = dataset.Id, Version = 2, Sha256 = Weights, SizeBytes = 10, Format = DatasetFormat.Text, CreatedBy = "test" };
        db.DatasetVersions.AddRange(a, b);
        PretrainRunId = await ScalarAsync<Guid>("INSERT INTO runs (kind, name, created_by) VALUES ('TrainBaseModel', 'pretrain', 'test') RETURNING id");
        var baseModel = new BaseModel { Name = "fft-small", Description = "the paper's LLM", CreatedBy = "test" };
        var version = new BaseModelVersion
        {
            BaseModel = baseModel, Version = 1, ArchitectureKind = ArchitectureKind.Fft, Architecture = """{"layers": 2, "window": 64}""",
            ParameterCount = 12345, WeightsSha256 = Weights, TokenizerSha256 = Tokenizer, RunId = PretrainRunId,
            EvaluationMetrics = """{"val_loss": 2.5}""", CreatedBy = "test",
        };
        db.BaseModelVersions.Add(version);
        await db.SaveChangesAsync();
        (BaseModelVersionId, DatasetVersionA, DatasetVersionB) = (version.Id, a.Id, b.Id);
    }

    public SlmOpsDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<SlmOpsDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>A task model with one SLM version per entry: its evaluation_metrics document ("{}" = never evaluated).</summary>
    public async Task<string> SeedTaskAsync(string task, params string[] evaluationMetrics)
    {
        await using var db = CreateDbContext();
        var model = new TaskModel { Name = task, CreatedBy = "test" };
        db.TaskModels.Add(model);
        for (var i = 0; i < evaluationMetrics.Length; i++)
        {
            db.SlmVersions.Add(new SlmVersion
            {
                TaskModel = model, Version = i + 1, BaseModelVersionId = BaseModelVersionId, CouplingMode = CouplingMode.Tokens,
                Architecture = """{"layers": 1}""", ParameterCount = 1000 + i, DatasetVersionId = DatasetVersionA,
                EvaluationMetrics = evaluationMetrics[i], WeightsSha256 = Weights, CreatedBy = "test",
            });
        }
        await db.SaveChangesAsync();
        return task;
    }

    /// <summary>evaluation_metrics in the team's shape: trained on <paramref name="dataset"/> with this val_loss.</summary>
    public static string Evaluated(long dataset, double valLoss) => string.Format(CultureInfo.InvariantCulture,
        """{{"val_loss": {1}, "val_dataset_version_id": {0}, "evaluations": {{"{0}": {{"val_loss": {1}, "run_id": "{2}", "at": "2026-01-01T00:00:00Z"}}}}}}""",
        dataset, valLoss, Guid.NewGuid());

    public async Task<long> SlmVersionIdAsync(string task, int version)
    {
        await using var db = CreateDbContext();
        return await db.SlmVersions.Where(v => v.TaskModel.Name == task && v.Version == version).Select(v => v.Id).SingleAsync();
    }

    public async Task<(int? AliasVersion, int History, int Audit)> AliasStateAsync(string task, string alias)
    {
        await using var db = CreateDbContext();
        var version = await db.Aliases.Where(a => a.TaskModel.Name == task && a.Name == alias).Select(a => (int?)a.SlmVersion.Version).SingleOrDefaultAsync();
        var history = await db.AliasHistory.CountAsync(h => h.AliasName == alias && db.TaskModels.Any(t => t.Id == h.TaskModelId && t.Name == task));
        var audit = await db.AuditLog.CountAsync(e => e.EntityKind == "alias" && e.EntityId == task + "@" + alias);
        return (version, history, audit);
    }
}
