using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Data;
using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;
using SlmOps.Modeling;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Jobs;
using SlmOps.Modeling.Training;

namespace SlmOps.Worker.Runs;

/// <summary>Translates a run's spec into Modeling's jobs and registers what they produced. Runs on the training thread.</summary>
public sealed class RunHandlers(IDbContextFactory<SlmOpsDbContext> contexts, IArtifactStore store, EvaluateHandler evaluate)
{
    /// <returns>The outputs, or null when the run was cancelled.</returns>
    public IReadOnlyDictionary<string, string>? Execute(RunContext context) => context.Run.Kind switch
    {
        RunKind.PrepareDataset => Prepare(context),
        RunKind.TrainBaseModel => Pretrain(context),
        RunKind.TrainTaskModel => FineTune(context),
        RunKind.Evaluate => evaluate.Execute(context),
        _ => throw new NotSupportedException($"This worker does not execute {context.Run.Kind} runs yet."),
    };

    private IReadOnlyDictionary<string, string> Prepare(RunContext context)
    {
        var spec = Spec<PrepareDatasetSpec>(context);
        using var db = contexts.CreateDbContext();
        var version = db.DatasetVersions.Single(v => v.Id == spec.DatasetVersionId);
        var documents = DatasetDocuments.Read(store.PathOf(version.Sha256), version.Format);
        DatasetDocuments.EnsureEnough(documents, version.Id, version.Format);
        string? tokenizerPath = null;
        if (spec.TokenizerFromBaseModelVersionId is { } bmv)
            tokenizerPath = Path.Combine(context.Layout.ModelDir(db.BaseModelVersions.Single(v => v.Id == bmv).WeightsSha256), "tokenizer.json");
        var output = context.Layout.OutputDir(context.Run.Id, context.Run.Attempt);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var prepared = DatasetPreparation.Prepare(documents, output, new DatasetPreparationSpec
        {
            TokenizerKind = spec.TokenizerKind, BpeVocabSize = spec.BpeVocabSize ?? 4096, ValidationFraction = spec.ValidationFraction,
        }, tokenizerPath);
        context.Report(1, 1, null, null, null);
        Sha256Manifest.Write(output);
        var manifest = Register(db, Path.Combine(output, Sha256Manifest.FileName), "application/json");
        var tokenizer = Register(db, prepared.TokenizerPath, "application/json");
        ArtifactLayout.Publish(output, context.Layout.PreparedDir(manifest));
        version.TokenizerSha256 = tokenizer;
        version.PreparedArtifactSha256 = manifest;
        version.TokenCount = prepared.TrainTokens + prepared.ValTokens;
        version.RowCount ??= documents.Count;
        Lineage(db, LineageNodeKind.DatasetVersion, version.Id.ToString(), LineageNodeKind.Run, context.Run.Id.ToString(), "input");
        Lineage(db, LineageNodeKind.Run, context.Run.Id.ToString(), LineageNodeKind.Artifact, manifest, "output");
        db.SaveChanges();
        return new Dictionary<string, string> { ["prepared_artifact"] = manifest, ["tokenizer"] = tokenizer, ["tokens"] = version.TokenCount.ToString()! };
    }

    private IReadOnlyDictionary<string, string>? Pretrain(RunContext context)
    {
        var spec = Spec<PretrainSpec>(context);
        using var db = contexts.CreateDbContext();
        var version = db.DatasetVersions.AsNoTracking().Single(v => v.Id == spec.DatasetVersionId);
        var data = context.Layout.PreparedDir(version.PreparedArtifactSha256 ?? throw new InvalidOperationException($"Dataset version {version.Id} is not prepared."));
        var tokenizer = Modeling.Tokenizers.TokenizerArtifact.Load(Path.Combine(data, "tokenizer.json"));
        var model = spec.Model is { ValueKind: JsonValueKind.Object } m
            ? m.Deserialize<ModelConfig>(ModelingJson.Options)!
            : ModelPresets.ByName(spec.Preset!, tokenizer.VocabSize);
        var training = Training(spec.Training);
        var job = new BaseModelJob
        {
            Model = model, Training = training, TokenizerPath = Path.Combine(data, "tokenizer.json"),
            TrainTokensPath = Path.Combine(data, "train.bin"), ValTokensPath = Path.Combine(data, "val.bin"),
        };
        var output = context.Layout.OutputDir(context.Run.Id, context.Run.Attempt);
        ResumePoint.Log(db, context);
        var outcome = ModelingJobs.TrainBaseModel(job, context.Layout.WorkDir(context.Run.Id), output, Progress(context, training), context.Cancellation);
        if (outcome.Training.Cancelled) return null;

        var weights = Register(db, Path.Combine(output, "model.safetensors"), "application/octet-stream");
        var tokenizerSha = Register(db, Path.Combine(output, "tokenizer.json"), "application/json");
        Register(db, Path.Combine(output, Sha256Manifest.FileName), "application/json");
        ArtifactLayout.Publish(output, context.Layout.ModelDir(weights));

        var baseModel = db.BaseModels.FirstOrDefault(b => b.Name == spec.BaseModelName)
            ?? db.BaseModels.Add(new BaseModel { Name = spec.BaseModelName, CreatedBy = context.Run.CreatedBy }).Entity;
        db.SaveChanges();
        var next = (db.BaseModelVersions.Where(v => v.BaseModelId == baseModel.Id).Max(v => (int?)v.Version) ?? 0) + 1;
        var registered = db.BaseModelVersions.Add(new BaseModelVersion
        {
            BaseModelId = baseModel.Id, Version = next,
            ArchitectureKind = model.Architecture == "gpt" ? ArchitectureKind.Gpt : ArchitectureKind.Fft,
            Architecture = JsonSerializer.Serialize(model, ModelingJson.Options), ParameterCount = model.ParameterCount(),
            WeightsSha256 = weights, TokenizerSha256 = tokenizerSha, RunId = context.Run.Id, CreatedBy = context.Run.CreatedBy,
            EvaluationMetrics = EvaluationRecords.ForTraining(outcome.Training, version.Id, context.Run.Id, DateTimeOffset.UtcNow),
        }).Entity;
        db.SaveChanges();
        Lineage(db, LineageNodeKind.DatasetVersion, version.Id.ToString(), LineageNodeKind.Run, context.Run.Id.ToString(), "input");
        Lineage(db, LineageNodeKind.Run, context.Run.Id.ToString(), LineageNodeKind.BaseModelVersion, registered.Id.ToString(), "output");
        db.SaveChanges();
        return new Dictionary<string, string> { ["base_model_version"] = registered.Id.ToString(), ["weights_sha256"] = weights };
    }

    private IReadOnlyDictionary<string, string>? FineTune(RunContext context)
    {
        var spec = Spec<FineTuneSpec>(context);
        using var db = contexts.CreateDbContext();
        var baseVersion = db.BaseModelVersions.AsNoTracking().Single(v => v.Id == spec.BaseModelVersionId);
        var version = db.DatasetVersions.AsNoTracking().Single(v => v.Id == spec.DatasetVersionId);
        var data = context.Layout.PreparedDir(version.PreparedArtifactSha256 ?? throw new InvalidOperationException($"Dataset version {version.Id} is not prepared."));
        TokenizerCheck.EnsureSame(version, baseVersion);
        var baseDir = context.Layout.ModelDir(baseVersion.WeightsSha256);
        var vocab = ModelCheckpoint.ReadTokenizer(baseDir).VocabSize;
        ModelConfig? slm = spec.Slm is { ValueKind: JsonValueKind.Object } s ? s.Deserialize<ModelConfig>(ModelingJson.Options)
            : spec.SlmPreset is { } preset ? ModelPresets.ByName(preset, vocab) : null;
        var training = Training(spec.Training);
        var job = new TaskModelJob
        {
            Method = spec.Method, BaseModelDir = baseDir, BaseModelWeightsFileSha256 = baseVersion.WeightsSha256, Slm = slm,
            Coupling = new CouplingOptions
            {
                Mode = Enum.Parse<Modeling.Coupling.CouplingMode>(spec.Coupling, ignoreCase: true),
                Initialization = spec.Initialization switch { "random" => SlmInitialization.Random, "inherit" => SlmInitialization.Inherit, _ => SlmInitialization.CopyTables },
                InheritBlocks = spec.InheritBlocks,
            },
            LoraRank = spec.LoraRank, Training = training,
            TrainTokensPath = Path.Combine(data, "train.bin"), ValTokensPath = Path.Combine(data, "val.bin"),
        };
        var output = context.Layout.OutputDir(context.Run.Id, context.Run.Attempt);
        ResumePoint.Log(db, context);
        var outcome = ModelingJobs.TrainTaskModel(job, context.Layout.WorkDir(context.Run.Id), output, Progress(context, training), context.Cancellation);
        if (outcome.Training.Cancelled) return null;

        var weightsFile = outcome.OutputFiles.Keys.Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal)).Order().First();
        string weights = "";
        foreach (var file in outcome.OutputFiles.Keys.Append(Sha256Manifest.FileName))
        {
            var sha = Register(db, Path.Combine(output, file), file.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/octet-stream");
            if (file == weightsFile) weights = sha;
        }
        ArtifactLayout.Publish(output, context.Layout.ModelDir(weights));

        var task = db.TaskModels.FirstOrDefault(t => t.Name == spec.TaskModelName)
            ?? db.TaskModels.Add(new TaskModel { Name = spec.TaskModelName, CreatedBy = context.Run.CreatedBy }).Entity;
        db.SaveChanges();
        var next = (db.SlmVersions.Where(v => v.TaskModelId == task.Id).Max(v => (int?)v.Version) ?? 0) + 1;
        var registered = db.SlmVersions.Add(new SlmVersion
        {
            TaskModelId = task.Id, Version = next, BaseModelVersionId = baseVersion.Id,
            CouplingMode = Enum.Parse<Data.Entities.CouplingMode>(spec.Coupling, ignoreCase: true),
            Architecture = JsonSerializer.Serialize(new { method = spec.Method, slm, loraRank = spec.LoraRank }, ModelingJson.Options),
            ParameterCount = Math.Max(1, outcome.Training.TrainableParameters), DatasetVersionId = version.Id, RunId = context.Run.Id,
            EvaluationMetrics = EvaluationRecords.ForTraining(outcome.Training, version.Id, context.Run.Id, DateTimeOffset.UtcNow), WeightsSha256 = weights, CreatedBy = context.Run.CreatedBy,
        }).Entity;
        db.SaveChanges();
        var run = context.Run.Id.ToString();
        Lineage(db, LineageNodeKind.DatasetVersion, version.Id.ToString(), LineageNodeKind.Run, run, "input");
        Lineage(db, LineageNodeKind.BaseModelVersion, baseVersion.Id.ToString(), LineageNodeKind.Run, run, "base_model");
        Lineage(db, LineageNodeKind.Run, run, LineageNodeKind.SlmVersion, registered.Id.ToString(), "output");
        db.SaveChanges();
        return new Dictionary<string, string> { ["slm_version"] = registered.Id.ToString(), ["weights_sha256"] = weights };
    }

    /// <summary>
    /// Reports each step; on a checkpoint step it also stores the points first, because the trainer writes the
    /// checkpoint right after and a resumed attempt replays only the steps after it: points still in memory
    /// when the worker dies would otherwise be missing for good.
    /// </summary>
    private static Action<TrainingProgress> Progress(RunContext context, TrainingOptions training) => p =>
    {
        context.Report(p.Step, training.Steps, p.Loss, p.TokensPerSecond, p.LearningRate);
        if (training.CheckpointEvery > 0 && p.Step % training.CheckpointEvery == 0) context.FlushMetrics();
    };

    private static T Spec<T>(RunContext context) => JsonSerializer.Deserialize<T>(context.Run.Config, RunSpecJson.Options)!;

    private static TrainingOptions Training(TrainingSpec spec)
    {
        var defaults = new TrainingOptions();
        return defaults with
        {
            Steps = spec.Steps ?? defaults.Steps, BatchSize = spec.BatchSize ?? defaults.BatchSize, BlockSize = spec.BlockSize,
            LearningRate = spec.LearningRate ?? defaults.LearningRate, WarmupSteps = spec.WarmupSteps ?? Math.Min(defaults.WarmupSteps, (spec.Steps ?? defaults.Steps) / 10),
            EvalEvery = spec.EvalEvery ?? defaults.EvalEvery, CheckpointEvery = spec.CheckpointEvery ?? defaults.CheckpointEvery,
            Seed = spec.Seed ?? defaults.Seed, Device = spec.Device,
        };
    }

    private string Register(SlmOpsDbContext db, string path, string mediaType)
    {
        var stored = store.PutFileAsync(path).GetAwaiter().GetResult();
        if (db.Artifacts.Find(stored.Sha256) is null)
        {
            db.Artifacts.Add(new Artifact { Sha256 = stored.Sha256, SizeBytes = stored.SizeBytes, MediaType = mediaType, Uri = stored.RelativePath });
            db.SaveChanges();
        }
        return stored.Sha256;
    }

    internal static void Lineage(SlmOpsDbContext db, LineageNodeKind fromKind, string fromId, LineageNodeKind toKind, string toId, string relation)
    {
        if (!db.LineageEdges.Any(e => e.FromKind == fromKind && e.FromId == fromId && e.ToKind == toKind && e.ToId == toId && e.Relation == relation))
            db.LineageEdges.Add(new LineageEdge { FromKind = fromKind, FromId = fromId, ToKind = toKind, ToId = toId, Relation = relation });
    }
}
