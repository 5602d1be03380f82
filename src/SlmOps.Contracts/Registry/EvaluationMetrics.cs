using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlmOps.Contracts;

/// <summary>
/// The evaluation_metrics jsonb of registry versions: the one type that writes it (the worker's training result,
/// the web host's evaluate merge) and reads it (the promotion gate, the registry pages).
/// <c>{"val_loss", "val_dataset_version_id", "final_train_loss", "median_step_ms",
/// "evaluations": {"&lt;dataset version id&gt;": {"val_loss", "run_id", "at"}}}</c>.
/// </summary>
public sealed record EvaluationMetrics
{
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public double? ValLoss { get; init; }
    public long? ValDatasetVersionId { get; init; }
    public double? FinalTrainLoss { get; init; }
    public double? MedianStepMs { get; init; }
    public Dictionary<string, EvaluationEntry> Evaluations { get; init; } = [];

    /// <summary>What a training run registers: its last losses, and its own val split as the first evaluation.</summary>
    public static EvaluationMetrics ForTraining(double? finalTrainLoss, double? medianStepMs, double? valLoss, long datasetVersionId, Guid runId, DateTimeOffset at) => new()
    {
        FinalTrainLoss = Finite(finalTrainLoss),
        MedianStepMs = Finite(medianStepMs),
        ValDatasetVersionId = datasetVersionId,
        ValLoss = Finite(valLoss),
        Evaluations = Finite(valLoss) is { } loss ? new() { [Key(datasetVersionId)] = EvaluationEntry.Of(loss, runId, at) } : [],
    };

    /// <summary>Reads a stored value; an empty or older row gives what it has (never throws on a missing key).</summary>
    public static EvaluationMetrics Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new EvaluationMetrics();
        try { return JsonSerializer.Deserialize<EvaluationMetrics>(json, Json) ?? new EvaluationMetrics(); }
        catch (JsonException) { return new EvaluationMetrics(); }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static string Key(long datasetVersionId) => datasetVersionId.ToString(CultureInfo.InvariantCulture);

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

/// <summary>One evaluation of a version on a dataset version's val split.</summary>
public sealed record EvaluationEntry(double ValLoss, string RunId, string At)
{
    public static EvaluationEntry Of(double valLoss, Guid runId, DateTimeOffset at) =>
        new(valLoss, runId.ToString(), at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));

    public string ToJson() => JsonSerializer.Serialize(this, EvaluationMetrics.Json);
}
