using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Tests.Infrastructure;

/// <summary>
/// Writes one fully populated instance of every entity type, in foreign-key order, and returns them. Every
/// property gets a non-default value (enums not their first member, nullable columns not null), so a round trip
/// exercises every column. Names carry a suffix so the samples can be written more than once per database.
/// </summary>
public static class EntitySamples
{
    // PostgreSQL stores microseconds; a whole-second UTC instant survives the round trip exactly.
    private static readonly DateTimeOffset T0 = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public static async Task<IReadOnlyList<object>> WriteAllAsync(TestDatabase database, string suffix)
    {
        var written = new List<object>();
        await using var context = database.CreateContext();

        async Task<T> Save<T>(T entity, bool isSample = true)
            where T : class
        {
            context.Add(entity);
            await context.SaveChangesAsync();
            if (isSample)
            {
                written.Add(entity);
            }

            return entity;
        }

        var weights = await Save(NewArtifact("1", suffix, "application/octet-stream"));
        var tokenizer = await Save(NewArtifact("2", suffix, "application/json"));
        var data = await Save(NewArtifact("3", suffix, "text/plain"));
        var prepared = await Save(NewArtifact("4", suffix, "application/octet-stream"));

        // One platform team at a time (a unique index): the sample takes the flag from whichever team holds it.
        await context.Teams.ExecuteUpdateAsync(s => s.SetProperty(t => t.Platform, false));
        var team = await Save(new Team
        {
            Name = $"vision-{suffix}", Description = "image captions", Platform = true, MaxRunningRuns = 2, MaxQueuedRuns = 5,
            CreatedBy = "admin", CreatedAt = T0,
        });

        var dataset = await Save(new Dataset { Name = $"shakespeare-{suffix}", Description = "plays", CreatedBy = "ada", CreatedAt = T0, Team = team.Name });
        var datasetVersion = await Save(new DatasetVersion
        {
            DatasetId = dataset.Id, Version = 2, Sha256 = data.Sha256, SizeBytes = 1_115_394, Format = DatasetFormat.Jsonl,
            SourceFileName = "input.jsonl", RowCount = 40_000, TokenCount = 557_697, TokenizerSha256 = tokenizer.Sha256,
            PreparedArtifactSha256 = prepared.Sha256, CreatedBy = "ada", CreatedAt = T0.AddMinutes(1),
        });

        // Only a target for the run's parent/clone links; the fully populated run below is the sample.
        var parent = await Save(new Run { Kind = RunKind.TrainBaseModel, CreatedBy = "ada", CreatedAt = T0, QueuedAt = T0 }, isSample: false);
        var run = await Save(new Run
        {
            Kind = RunKind.TrainTaskModel, Status = RunStatus.Running, Name = "slm tokens mode",
            Config = """{"lr": 0.0003, "steps": 2000, "coupling": "tokens", "layers": [7, 384]}""",
            Priority = 5, Attempt = 2, MaxAttempts = 4, WorkerName = "gpu-box-1", Device = "cuda:0",
            HeartbeatAt = T0.AddMinutes(9), QueuedAt = T0.AddMinutes(2), DispatchedAt = T0.AddMinutes(3),
            StartedAt = T0.AddMinutes(4), FinishedAt = T0.AddMinutes(10), CancelRequestedAt = T0.AddMinutes(8), CancelReason = "stopped early at step 40",
            Error = "worker lost", CodeVersion = "abc1234", ParentRunId = parent.Id, ClonedFromRunId = parent.Id,
            Progress = 0.625, LatestLoss = 1.9375, CheckpointSha256 = weights.Sha256, CheckpointStep = 1250, Outputs = """{"base_model_version": "7"}""", MlflowRunId = "0a1b2c3d4e5f",
            CreatedBy = "ada", CreatedAt = T0.AddMinutes(2), Team = team.Name,
        });

        await Save(new SweepTrial { SweepRunId = parent.Id, TrialIndex = 3, RunId = run.Id, Params = """{"training.learningRate": 0.003}""", Error = "refused", CreatedAt = T0 });
        await Save(new SweepRung
        {
            SweepRunId = parent.Id, RungStep = 40, TrialRunId = run.Id, MetricStep = 42, Value = 2.25, Continued = true, RecordedAt = T0.AddMinutes(7),
        });

        var series = await Save(new MetricSeries { RunId = run.Id, Key = "train/loss" });
        await Save(new MetricSeriesPoint { SeriesId = series.Id, Step = 100, Value = 2.5, RecordedAt = T0.AddMinutes(5) });
        await Save(new RunRank
        {
            RunId = run.Id, Attempt = 2, Rank = 1, WorldSize = 2, WorkerName = $"cpu-box-{suffix}", Device = "cpu", StoreAddress = "10.0.0.5:29500",
            ClaimedAt = T0.AddMinutes(1), JoinedAt = T0.AddMinutes(2), HeartbeatAt = T0.AddMinutes(3), Local = true,
        });
        await Save(new RunEvent { RunId = run.Id, Attempt = 2, Level = RunEventLevel.Warning, Message = "resumed from step 1250", At = T0.AddMinutes(6) });
        await Save(new LineageEdge
        {
            FromKind = LineageNodeKind.Run, FromId = run.Id.ToString(), ToKind = LineageNodeKind.Artifact,
            ToId = weights.Sha256, Relation = $"checkpoint_{suffix}", CreatedAt = T0.AddMinutes(2),
        });

        var baseModel = await Save(new BaseModel { Name = $"fft-36m-{suffix}", Description = "the paper's LLM", CreatedBy = "ada", CreatedAt = T0 });
        var baseVersion = await Save(new BaseModelVersion
        {
            BaseModelId = baseModel.Id, Version = 3, ArchitectureKind = ArchitectureKind.Gpt,
            Architecture = """{"E": 768, "L": 17, "T": 430, "V": 1092, "Ve": 1024}""", ParameterCount = 36_297_036,
            WeightsSha256 = weights.Sha256, TokenizerSha256 = tokenizer.Sha256, ManifestSha256 = tokenizer.Sha256, RunId = parent.Id,
            EvaluationMetrics = """{"val_loss": 1.5}""", CreatedBy = "ada", CreatedAt = T0.AddMinutes(1),
        });

        var task = await Save(new TaskModel { Name = $"sonnets-{suffix}", Description = "sonnet style", CreatedBy = "bob", CreatedAt = T0, Team = team.Name });
        await Save(new TaskModelShare { TaskModelId = task.Id, Team = Team.DefaultName, CreatedBy = "carol", CreatedAt = T0 });
        await Save(new DatasetShare { DatasetId = dataset.Id, Team = Team.DefaultName, CreatedBy = "carol", CreatedAt = T0 });
        var slm = await Save(new SlmVersion
        {
            TaskModelId = task.Id, Version = 4, BaseModelVersionId = baseVersion.Id, CouplingMode = CouplingMode.Hidden,
            Architecture = """{"E": 384, "L": 7}""", ParameterCount = 9_760_000, DatasetVersionId = datasetVersion.Id,
            RunId = run.Id, EvaluationMetrics = """{"task_val_loss": 1.875}""", WeightsSha256 = prepared.Sha256, ManifestSha256 = weights.Sha256,
            CreatedBy = "bob", CreatedAt = T0.AddMinutes(11),
        });
        await Save(new Alias { TaskModelId = task.Id, Name = "production", SlmVersionId = slm.Id, UpdatedBy = "carol", UpdatedAt = T0.AddMinutes(12) });
        await Save(new AliasHistoryEntry
        {
            TaskModelId = task.Id, AliasName = "production", Action = AliasAction.Promote, FromSlmVersionId = slm.Id,
            ToSlmVersionId = slm.Id, Forced = true, Actor = "carol", Reason = "beats v3", At = T0.AddMinutes(12),
        });
        await Save(new AuditLogEntry
        {
            Actor = "carol", Action = "alias.promote", EntityKind = "alias", EntityId = $"{task.Name}@production",
            Before = """{"version": 3}""", After = """{"version": 4}""", Reason = "beats v3", At = T0.AddMinutes(12), Team = team.Name,
        });
        await Save(new ApiKey
        {
            Name = "ci", Prefix = $"slm_{suffix}", KeyHash = "argon-ish-hash", Role = ApiKeyRole.Promoter, CreatedBy = "admin",
            CreatedAt = T0, ExpiresAt = T0.AddDays(90), LastUsedAt = T0.AddDays(1), RevokedAt = T0.AddDays(2), Team = team.Name,
        });
        await Save(new WorkerNode
        {
            Name = $"gpu-box-{suffix}", Device = "cuda:0", Slots = 2, CurrentRunId = run.Id, CodeVersion = "abc1234",
            StartedAt = T0, LastSeenAt = T0.AddMinutes(9),
        });

        return written;
    }

    private static Artifact NewArtifact(string seed, string suffix, string mediaType)
    {
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed + suffix)));
        return new Artifact { Sha256 = sha, SizeBytes = 4096 + seed[0], MediaType = mediaType, Uri = $"sha256/{sha[..2]}/{sha}", CreatedAt = T0 };
    }
}
