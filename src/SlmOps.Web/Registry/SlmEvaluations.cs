using System.Globalization;
using SlmOps.Contracts;

namespace SlmOps.Web.Registry;

/// <summary>
/// The evaluations of one SLM version, read from slm_versions.evaluation_metrics:
/// {"val_loss", "val_dataset_version_id", "evaluations": {"&lt;dataset version id&gt;": {"val_loss", "run_id", "at"}}}.
/// A version recorded before that shape (only "val_loss") counts as evaluated on the dataset version it was trained on.
/// </summary>
public sealed record SlmEvaluations(long? ValDatasetVersionId, IReadOnlyDictionary<long, double> ValLossByDatasetVersion)
{
    public bool IsEmpty => ValLossByDatasetVersion.Count == 0;

    /// <summary>Reads through <see cref="EvaluationMetrics"/>, the type the worker and the evaluate merge write.</summary>
    public static SlmEvaluations Read(string? json, long? trainedOnDatasetVersionId)
    {
        var metrics = EvaluationMetrics.Parse(json);
        var valDataset = metrics.ValDatasetVersionId ?? trainedOnDatasetVersionId;
        var losses = new Dictionary<long, double>();
        foreach (var (key, entry) in metrics.Evaluations)
        {
            if (long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && double.IsFinite(entry.ValLoss)) losses[id] = entry.ValLoss;
        }
        if (valDataset is { } trained && !losses.ContainsKey(trained) && metrics.ValLoss is { } trainingLoss)
        {
            losses[trained] = trainingLoss;
        }
        return new SlmEvaluations(valDataset, losses);
    }
}
