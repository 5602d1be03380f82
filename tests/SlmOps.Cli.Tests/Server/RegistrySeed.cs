using SlmOps.Contracts;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Cli.Tests.Server;

/// <summary>
/// Registry rows written straight to the host's database (as a finished fine-tune would leave them): one base model
/// version per host, then task models with one SLM version per evaluation_metrics document.
/// </summary>
public static class RegistrySeed
{
    public const string Weights = "1111111111111111111111111111111111111111111111111111111111111111";
    public const string Tokenizer = "2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static SlmOpsDbContext Db(CliServerHost host) =>
        new(new DbContextOptionsBuilder<SlmOpsDbContext>().UseNpgsql(host.ConnectionString).Options);

    /// <summary>The id of the dataset version the base model and the SLMs were trained on.</summary>
    public static async Task<(long BaseModelVersionId, long DatasetVersionId)> BaseAsync(CliServerHost host)
    {
        await Gate.WaitAsync();
        try
        {
            await using var db = Db(host);
            if (await db.BaseModelVersions.Where(v => v.BaseModel.Name == "cli-llm").Select(v => new { v.Id }).FirstOrDefaultAsync() is { } existing)
                return (existing.Id, await db.DatasetVersions.Where(v => v.Dataset.Name == "cli-registry-data").Select(v => v.Id).SingleAsync());
            db.Artifacts.AddRange(
                new Artifact { Sha256 = Weights, SizeBytes = 10, MediaType = "application/octet-stream", Uri = "w" },
                new Artifact { Sha256 = Tokenizer, SizeBytes = 10, MediaType = "application/json", Uri = "t" });
            var dataset = new Dataset { Name = "cli-registry-data", CreatedBy = "tests" };
            var datasetVersion = new DatasetVersion { Dataset = dataset, Version = 1, Sha256 = Tokenizer, SizeBytes = 10, Format = DatasetFormat.Text, CreatedBy = "tests" };
            var version = new BaseModelVersion
            {
                BaseModel = new BaseModel { Name = "cli-llm", CreatedBy = "tests" }, Version = 1, ArchitectureKind = ArchitectureKind.Fft,
                Architecture = """{"layers": 2}""", ParameterCount = 12345, WeightsSha256 = Weights, TokenizerSha256 = Tokenizer,
                EvaluationMetrics = "{}", CreatedBy = "tests",
            };
            db.DatasetVersions.Add(datasetVersion);
            db.BaseModelVersions.Add(version);
            await db.SaveChangesAsync();
            return (version.Id, datasetVersion.Id);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A task model whose versions 1..n carry these training val losses (on the seeded dataset version).</summary>
    public static async Task<string> TaskAsync(CliServerHost host, string task, params double[] valLosses)
    {
        var (baseId, datasetId) = await BaseAsync(host);
        await using var db = Db(host);
        var model = new TaskModel { Name = task, CreatedBy = "tests" };
        db.TaskModels.Add(model);
        for (var i = 0; i < valLosses.Length; i++)
        {
            db.SlmVersions.Add(new SlmVersion
            {
                TaskModel = model, Version = i + 1, BaseModelVersionId = baseId, CouplingMode = CouplingMode.Tokens,
                Architecture = """{"layers": 1}""", ParameterCount = 1000 + i, DatasetVersionId = datasetId,
                EvaluationMetrics = Evaluated(datasetId, valLosses[i]), WeightsSha256 = Weights, CreatedBy = "tests",
            });
        }
        await db.SaveChangesAsync();
        return task;
    }

    private static string Evaluated(long dataset, double valLoss) => string.Format(CultureInfo.InvariantCulture,
        """{{"val_loss": {1}, "val_dataset_version_id": {0}, "evaluations": {{"{0}": {{"val_loss": {1}, "run_id": "{2}", "at": "2026-01-01T00:00:00Z"}}}}}}""",
        dataset, valLoss, Guid.NewGuid());
}
