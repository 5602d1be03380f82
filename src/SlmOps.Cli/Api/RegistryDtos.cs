using System.Text.Json;

namespace SlmOps.Cli.Api;

public sealed record BaseModelVersion(
    string BaseModel, int Version, long Id, string ArchitectureKind, long ParameterCount, string WeightsSha256, Guid? RunId, DateTimeOffset CreatedAt);

public sealed record BaseModel(string Name, string? Description, int VersionCount, BaseModelVersion? Latest);

public sealed record ModelRef(string Name, int Version, long Id);

public sealed record SlmVersion(
    string Task, int Version, long Id, ModelRef BaseModel, string CouplingMode, long ParameterCount, ModelRef? Dataset,
    Guid? RunId, JsonElement EvaluationMetrics, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<string> Aliases)
{
    /// <summary>evaluation_metrics.val_loss: the task validation loss from training (lower is better).</summary>
    public double? ValLoss =>
        EvaluationMetrics.ValueKind == JsonValueKind.Object && EvaluationMetrics.TryGetProperty("val_loss", out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble() : null;
}

public sealed record TaskModel(string Name, string? Description, int VersionCount, SlmVersion? Latest, IReadOnlyDictionary<string, int> Aliases);

public sealed record Alias(string Task, string Name, int Version, long SlmVersionId, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>PUT /api/v1/task-models/{task}/aliases/{alias}.</summary>
public sealed record SetAlias(int Version, bool Force, string? Reason);

/// <summary>POST /api/v1/task-models/{task}/aliases/{alias}/rollback.</summary>
public sealed record RollbackAlias(string? Reason);
