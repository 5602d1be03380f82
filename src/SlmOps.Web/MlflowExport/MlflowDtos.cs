using System.Text.Json.Serialization;

namespace SlmOps.Web.MlflowExport;

// The request and response bodies of MLflow REST API 2.0 that the exporter uses, field for field.

public sealed record MlflowExperiment(
    [property: JsonPropertyName("experiment_id")] string ExperimentId,
    [property: JsonPropertyName("name")] string Name);

public sealed record MlflowGetExperimentResponse([property: JsonPropertyName("experiment")] MlflowExperiment Experiment);

public sealed record MlflowCreateExperimentRequest([property: JsonPropertyName("name")] string Name);

public sealed record MlflowCreateExperimentResponse([property: JsonPropertyName("experiment_id")] string ExperimentId);

public sealed record MlflowTag(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value);

public sealed record MlflowParam(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value);

/// <summary>A metric point; timestamp is milliseconds since the Unix epoch.</summary>
public sealed record MlflowMetric(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("step")] long Step);

public sealed record MlflowCreateRunRequest(
    [property: JsonPropertyName("experiment_id")] string ExperimentId,
    [property: JsonPropertyName("run_name")] string? RunName,
    [property: JsonPropertyName("start_time")] long StartTime,
    [property: JsonPropertyName("tags")] IReadOnlyList<MlflowTag> Tags);

public sealed record MlflowRunInfo([property: JsonPropertyName("run_id")] string RunId);

public sealed record MlflowRun([property: JsonPropertyName("info")] MlflowRunInfo Info);

public sealed record MlflowCreateRunResponse([property: JsonPropertyName("run")] MlflowRun Run);

public sealed record MlflowLogBatchRequest(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("metrics")] IReadOnlyList<MlflowMetric> Metrics,
    [property: JsonPropertyName("params")] IReadOnlyList<MlflowParam> Params,
    [property: JsonPropertyName("tags")] IReadOnlyList<MlflowTag> Tags);

public sealed record MlflowUpdateRunRequest(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("end_time")] long EndTime);

/// <summary>The body MLflow answers an error with.</summary>
public sealed record MlflowError(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("message")] string Message);

/// <summary>Terminal run states of MLflow's RunStatus enum.</summary>
public static class MlflowRunStatus
{
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string Killed = "KILLED";
}
