using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;
using L = SlmOps.Data.Entities.LineageNodeKind;

namespace SlmOps.Web.Tracking.Registration;

/// <summary>
/// Registers what a succeeded run produced, inside the outcome's transaction: prepared token files on the dataset
/// version, a base model version, a task model's SLM version, or an evaluation merged into a version. Every blob
/// must already be in the artifact store. Returns the outputs RunCompleted carries.
/// </summary>
public sealed class OutputRegistrar(IArtifactStore store)
{
    public async Task<Dictionary<string, string>> RegisterAsync(SlmOpsDbContext db, Run run, RunOutcome outcome, CancellationToken ct)
    {
        var spec = RunSpecs.Parse(run.Kind, run.Config);
        return run.Kind switch
        {
            RunKind.PrepareDataset => await PreparedAsync(db, run, spec.Prepare!, Require(outcome.Prepared, run.Kind), ct),
            RunKind.TrainBaseModel => await BaseModelAsync(db, run, spec.Pretrain!, Require(outcome.Model, run.Kind), ct),
            RunKind.TrainTaskModel => await TaskModelAsync(db, run, spec.FineTune!, Require(outcome.Model, run.Kind), ct),
            RunKind.Evaluate => await EvaluationAsync(db, run, spec.Evaluate!, Require(outcome.Evaluation, run.Kind), ct),
            _ => throw new RunInputException($"Run kind {run.Kind} registers nothing."),
        };
    }

    private async Task<Dictionary<string, string>> PreparedAsync(SlmOpsDbContext db, Run run, PrepareDatasetSpec spec, PreparedOutput output, CancellationToken ct)
    {
        await StoredBlobs.EnsureAsync(db, store, output.Files.Values.Append(output.ManifestSha256).Append(output.TokenizerSha256), ct);
        var updated = await db.DatasetVersions.Where(v => v.Id == spec.DatasetVersionId).ExecuteUpdateAsync(s => s
            .SetProperty(v => v.TokenizerSha256, output.TokenizerSha256)
            .SetProperty(v => v.PreparedArtifactSha256, output.ManifestSha256)
            .SetProperty(v => v.TokenCount, output.TokenCount)
            .SetProperty(v => v.RowCount, v => v.RowCount ?? output.DocumentCount), ct);
        if (updated == 0) throw new RunInputException($"Dataset version {spec.DatasetVersionId} no longer exists.");
        await LineageWriter.AddAsync(db, L.DatasetVersion, spec.DatasetVersionId, L.Run, run.Id, "input", ct);
        await LineageWriter.AddAsync(db, L.Run, run.Id, L.Artifact, output.ManifestSha256, "output", ct);
        return new() { ["prepared_artifact"] = output.ManifestSha256, ["tokenizer"] = output.TokenizerSha256, ["tokens"] = Text(output.TokenCount) };
    }

    private async Task<Dictionary<string, string>> BaseModelAsync(SlmOpsDbContext db, Run run, PretrainSpec spec, ModelOutput output, CancellationToken ct)
    {
        await EnsureModelFilesAsync(db, output, ct);
        var baseModelId = await VersionNumbers.LockBaseModelAsync(db, spec.BaseModelName, run.CreatedBy, ct);
        var version = new BaseModelVersion
        {
            BaseModelId = baseModelId, Version = await VersionNumbers.NextBaseModelVersionAsync(db, baseModelId, ct),
            ArchitectureKind = output.Architecture == "gpt" ? ArchitectureKind.Gpt : ArchitectureKind.Fft,
            Architecture = output.Config.GetRawText(), ParameterCount = output.ParameterCount,
            WeightsSha256 = output.WeightsSha256, TokenizerSha256 = output.TokenizerSha256, ManifestSha256 = output.ManifestSha256,
            RunId = run.Id, CreatedBy = run.CreatedBy, EvaluationMetrics = output.Evaluation.ToJson(),
        };
        db.BaseModelVersions.Add(version);
        await db.SaveChangesAsync(ct);
        await LineageWriter.AddAsync(db, L.DatasetVersion, spec.DatasetVersionId, L.Run, run.Id, "input", ct);
        await LineageWriter.AddAsync(db, L.Run, run.Id, L.BaseModelVersion, version.Id, "output", ct);
        return new() { ["base_model_version"] = Text(version.Id), ["weights_sha256"] = output.WeightsSha256 };
    }

    private async Task<Dictionary<string, string>> TaskModelAsync(SlmOpsDbContext db, Run run, FineTuneSpec spec, ModelOutput output, CancellationToken ct)
    {
        await EnsureModelFilesAsync(db, output, ct);
        var taskModelId = await VersionNumbers.LockTaskModelAsync(db, spec.TaskModelName, run.CreatedBy, run.Team, ct);
        var version = new SlmVersion
        {
            TaskModelId = taskModelId, Version = await VersionNumbers.NextSlmVersionAsync(db, taskModelId, ct),
            BaseModelVersionId = spec.BaseModelVersionId,
            CouplingMode = CouplingModes.Parse(spec.Coupling),
            Architecture = output.Config.GetRawText(), ParameterCount = Math.Max(1, output.ParameterCount),
            DatasetVersionId = spec.DatasetVersionId, RunId = run.Id, EvaluationMetrics = output.Evaluation.ToJson(),
            WeightsSha256 = output.WeightsSha256, ManifestSha256 = output.ManifestSha256, CreatedBy = run.CreatedBy,
        };
        db.SlmVersions.Add(version);
        await db.SaveChangesAsync(ct);
        await LineageWriter.AddAsync(db, L.DatasetVersion, spec.DatasetVersionId, L.Run, run.Id, "input", ct);
        await LineageWriter.AddAsync(db, L.BaseModelVersion, spec.BaseModelVersionId, L.Run, run.Id, "base_model", ct);
        await LineageWriter.AddAsync(db, L.Run, run.Id, L.SlmVersion, version.Id, "output", ct);
        return new() { ["slm_version"] = Text(version.Id), ["weights_sha256"] = output.WeightsSha256 };
    }

    private static async Task<Dictionary<string, string>> EvaluationAsync(SlmOpsDbContext db, Run run, EvaluateSpec spec, EvaluationOutput output, CancellationToken ct)
    {
        var entry = EvaluationEntry.Of(output.ValLoss, run.Id, DateTimeOffset.UtcNow).ToJson();
        var key = EvaluationMetrics.Key(spec.DatasetVersionId);
        var (node, nodeId) = spec.SlmVersionId is { } slm ? (L.SlmVersion, slm) : (L.BaseModelVersion, spec.BaseModelVersionId!.Value);
        // One statement per merge: evaluations[dataset] is set, every other key kept, whatever ran concurrently.
        var merged = node == L.SlmVersion
            ? await db.Database.ExecuteSqlAsync($$"""
                UPDATE slm_versions SET evaluation_metrics = jsonb_set(
                    evaluation_metrics || jsonb_build_object('evaluations', COALESCE(evaluation_metrics -> 'evaluations', '{}'::jsonb)),
                    ARRAY['evaluations', {{key}}::text], {{entry}}::jsonb)
                WHERE id = {{nodeId}}
                """, ct)
            : await db.Database.ExecuteSqlAsync($$"""
                UPDATE base_model_versions SET evaluation_metrics = jsonb_set(
                    evaluation_metrics || jsonb_build_object('evaluations', COALESCE(evaluation_metrics -> 'evaluations', '{}'::jsonb)),
                    ARRAY['evaluations', {{key}}::text], {{entry}}::jsonb)
                WHERE id = {{nodeId}}
                """, ct);
        if (merged == 0) throw new RunInputException($"The evaluated version {nodeId} no longer exists.");
        await LineageWriter.AddAsync(db, L.DatasetVersion, spec.DatasetVersionId, L.Run, run.Id, "input", ct);
        await LineageWriter.AddAsync(db, node, nodeId, L.Run, run.Id, "evaluated", ct);
        return new()
        {
            [node == L.SlmVersion ? "slm_version" : "base_model_version"] = Text(nodeId),
            ["dataset_version"] = Text(spec.DatasetVersionId),
            ["val_loss"] = output.ValLoss.ToString("R", CultureInfo.InvariantCulture),
            ["perplexity"] = output.Perplexity.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private Task EnsureModelFilesAsync(SlmOpsDbContext db, ModelOutput output, CancellationToken ct)
    {
        if (!output.Files.Values.Contains(output.WeightsSha256) || !output.Files.Values.Contains(output.TokenizerSha256))
            throw new RunInputException("The model output names weights or a tokenizer that is not among its files.");
        if (output.Config.ValueKind != JsonValueKind.Object) throw new RunInputException("The model output's config is not a JSON object.");
        return StoredBlobs.EnsureAsync(db, store, output.Files.Values.Append(output.ManifestSha256), ct);
    }

    private static T Require<T>(T? output, RunKind kind) where T : class =>
        output ?? throw new RunInputException($"A succeeded {kind} run must report its {typeof(T).Name}.");

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
