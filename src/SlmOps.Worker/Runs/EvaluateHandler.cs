using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts.Runs;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Evaluate runs: score a base model version (the LLM alone) or an SLM version (the LLM with its module) on the
/// val split of a prepared dataset version, record eval/val_loss and eval/perplexity on the run, and merge the
/// result into the version's evaluation_metrics. Runs on the training thread.
/// </summary>
public sealed class EvaluateHandler(IDbContextFactory<SlmOpsDbContext> contexts)
{
    public IReadOnlyDictionary<string, string>? Execute(RunContext context)
    {
        var spec = JsonSerializer.Deserialize<EvaluateSpec>(context.Run.Config, RunSpecJson.Options)!;
        using var db = contexts.CreateDbContext();
        var dataset = db.DatasetVersions.AsNoTracking().SingleOrDefault(v => v.Id == spec.DatasetVersionId)
            ?? throw new InvalidOperationException($"Dataset version {spec.DatasetVersionId} does not exist.");
        var data = context.Layout.PreparedDir(dataset.PreparedArtifactSha256
            ?? throw new InvalidOperationException($"Dataset version {dataset.Id} is not prepared; submit a prepare run for it first."));

        var (target, baseVersion, node, nodeId) = Target(db, spec, context.Layout);
        TokenizerCheck.EnsureSame(dataset, baseVersion);
        context.Report(0, 1, null, null, null);
        if (context.Cancellation.IsCancellationRequested) return null;

        var valLoss = ModelScorer.ValLoss(target, Path.Combine(data, "val.bin"),
            new ScoringOptions(spec.Batches, spec.BatchSize, spec.BlockSize, spec.Device));
        var perplexity = Math.Exp(valLoss);
        context.Metric("eval/val_loss", 0, valLoss);
        context.Metric("eval/perplexity", 0, perplexity);
        context.Report(1, 1, null, null, null);

        var at = DateTimeOffset.UtcNow;
        if (node == LineageNodeKind.SlmVersion) EvaluationRecords.MergeIntoSlmVersion(db, nodeId, dataset.Id, valLoss, context.Run.Id, at);
        else EvaluationRecords.MergeIntoBaseModelVersion(db, nodeId, dataset.Id, valLoss, context.Run.Id, at);
        var run = context.Run.Id.ToString();
        RunHandlers.Lineage(db, LineageNodeKind.DatasetVersion, dataset.Id.ToString(CultureInfo.InvariantCulture), LineageNodeKind.Run, run, "input");
        RunHandlers.Lineage(db, node, nodeId.ToString(CultureInfo.InvariantCulture), LineageNodeKind.Run, run, "evaluated");
        db.SaveChanges();
        return new Dictionary<string, string>
        {
            [node == LineageNodeKind.SlmVersion ? "slm_version" : "base_model_version"] = nodeId.ToString(CultureInfo.InvariantCulture),
            ["dataset_version"] = dataset.Id.ToString(CultureInfo.InvariantCulture),
            ["val_loss"] = valLoss.ToString("R", CultureInfo.InvariantCulture),
            ["perplexity"] = perplexity.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private static (ScoringTarget Target, BaseModelVersion Base, LineageNodeKind Node, long NodeId) Target(SlmOpsDbContext db, EvaluateSpec spec, ArtifactLayout layout)
    {
        if (spec.SlmVersionId is { } slmId)
        {
            var slm = db.SlmVersions.AsNoTracking().SingleOrDefault(v => v.Id == slmId)
                ?? throw new InvalidOperationException($"SLM version {slmId} does not exist.");
            var baseVersion = db.BaseModelVersions.AsNoTracking().Single(v => v.Id == slm.BaseModelVersionId);
            var method = MethodOf(slm.Architecture);
            return (new ScoringTarget(layout.ModelDir(baseVersion.WeightsSha256), baseVersion.WeightsSha256,
                layout.ModelDir(slm.WeightsSha256), slm.WeightsSha256, method), baseVersion, LineageNodeKind.SlmVersion, slm.Id);
        }
        var baseId = spec.BaseModelVersionId ?? throw new InvalidOperationException("The spec names neither baseModelVersionId nor slmVersionId.");
        var llm = db.BaseModelVersions.AsNoTracking().SingleOrDefault(v => v.Id == baseId)
            ?? throw new InvalidOperationException($"Base model version {baseId} does not exist.");
        return (new ScoringTarget(layout.ModelDir(llm.WeightsSha256), llm.WeightsSha256), llm, LineageNodeKind.BaseModelVersion, llm.Id);
    }

    /// <summary>The fine-tune handler records {"method": ...} in the version's architecture; older rows default to slm.</summary>
    private static string MethodOf(string architecture)
    {
        using var document = JsonDocument.Parse(architecture);
        return document.RootElement.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String
            ? method.GetString()! : "slm";
    }
}
