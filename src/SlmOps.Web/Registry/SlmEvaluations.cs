using System.Globalization;
using System.Text.Json;

namespace SlmOps.Web.Registry;

/// <summary>
/// The evaluations of one SLM version, read from slm_versions.evaluation_metrics:
/// {"val_loss", "val_dataset_version_id", "evaluations": {"&lt;dataset version id&gt;": {"val_loss", "run_id", "at"}}}.
/// A version recorded before that shape (only "val_loss") counts as evaluated on the dataset version it was trained on.
/// </summary>
public sealed record SlmEvaluations(long? ValDatasetVersionId, IReadOnlyDictionary<long, double> ValLossByDatasetVersion)
{
    public bool IsEmpty => ValLossByDatasetVersion.Count == 0;

    public static SlmEvaluations Read(string? json, long? trainedOnDatasetVersionId)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        var root = document.RootElement;
        var valDataset = Long(root, "val_dataset_version_id") ?? trainedOnDatasetVersionId;
        var losses = new Dictionary<long, double>();
        if (root.TryGetProperty("evaluations", out var evaluations) && evaluations.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in evaluations.EnumerateObject())
            {
                if (long.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Double(entry.Value, "val_loss") is { } loss)
                {
                    losses[id] = loss;
                }
            }
        }
        if (valDataset is { } trained && !losses.ContainsKey(trained) && Double(root, "val_loss") is { } trainingLoss)
        {
            losses[trained] = trainingLoss;
        }
        return new SlmEvaluations(valDataset, losses);
    }

    private static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;

    private static double? Double(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        } : null;
}
