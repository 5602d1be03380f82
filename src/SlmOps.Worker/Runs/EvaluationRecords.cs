using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Modeling.Training;

namespace SlmOps.Worker.Runs;

/// <summary>
/// The evaluation_metrics jsonb of registry versions, in the team-wide shape the promotion gate reads:
/// {"val_loss", "val_dataset_version_id", "evaluations": {"&lt;dataset version id&gt;": {"val_loss", "run_id", "at"}}}.
/// Training writes the first evaluation (on its own val split); an Evaluate run merges one more.
/// </summary>
public static class EvaluationRecords
{
    /// <summary>What a training run registers with the version it produced.</summary>
    public static string ForTraining(TrainingResult result, long datasetVersionId, Guid runId, DateTimeOffset at)
    {
        var metrics = new JsonObject();
        if (result.Losses.Count > 0 && double.IsFinite(result.Losses[^1])) metrics["final_train_loss"] = result.Losses[^1];
        if (double.IsFinite(result.MedianStepMs)) metrics["median_step_ms"] = result.MedianStepMs;
        metrics["val_dataset_version_id"] = datasetVersionId;
        var evaluations = new JsonObject();
        if (result.ValLosses.Count > 0 && double.IsFinite(result.ValLosses[^1].Loss))
        {
            var valLoss = result.ValLosses[^1].Loss;
            metrics["val_loss"] = valLoss;
            evaluations[Key(datasetVersionId)] = Entry(valLoss, runId, at);
        }
        metrics["evaluations"] = evaluations;
        return metrics.ToJsonString();
    }

    /// <summary>Sets evaluations[datasetVersionId] of an SLM version in one statement, keeping every other key.</summary>
    public static int MergeIntoSlmVersion(SlmOpsDbContext db, long slmVersionId, long datasetVersionId, double valLoss, Guid runId, DateTimeOffset at)
    {
        var (key, entry) = (Key(datasetVersionId), Entry(valLoss, runId, at).ToJsonString());
        return db.Database.ExecuteSql($$"""
            UPDATE slm_versions SET evaluation_metrics = jsonb_set(
                evaluation_metrics || jsonb_build_object('evaluations', COALESCE(evaluation_metrics -> 'evaluations', '{}'::jsonb)),
                ARRAY['evaluations', {{key}}::text], {{entry}}::jsonb)
            WHERE id = {{slmVersionId}}
            """);
    }

    /// <summary>The same merge for a base model version (the LLM scored alone).</summary>
    public static int MergeIntoBaseModelVersion(SlmOpsDbContext db, long baseModelVersionId, long datasetVersionId, double valLoss, Guid runId, DateTimeOffset at)
    {
        var (key, entry) = (Key(datasetVersionId), Entry(valLoss, runId, at).ToJsonString());
        return db.Database.ExecuteSql($$"""
            UPDATE base_model_versions SET evaluation_metrics = jsonb_set(
                evaluation_metrics || jsonb_build_object('evaluations', COALESCE(evaluation_metrics -> 'evaluations', '{}'::jsonb)),
                ARRAY['evaluations', {{key}}::text], {{entry}}::jsonb)
            WHERE id = {{baseModelVersionId}}
            """);
    }

    private static string Key(long datasetVersionId) => datasetVersionId.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Entry(double valLoss, Guid runId, DateTimeOffset at) => new()
    {
        ["val_loss"] = valLoss,
        ["run_id"] = runId.ToString(),
        ["at"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
    };
}
