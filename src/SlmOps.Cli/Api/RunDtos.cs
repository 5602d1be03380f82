using System.Text.Json;
using SlmOps.Contracts;

namespace SlmOps.Cli.Api;

public sealed record Run(
    Guid Id, RunKind Kind, RunStatus Status, string? Name, JsonElement Config, int Priority, int Attempt,
    string? WorkerName, string? Device, double Progress, double? LatestLoss, string? Error,
    DateTimeOffset QueuedAt, DateTimeOffset? DispatchedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    DateTimeOffset? HeartbeatAt, DateTimeOffset? CancelRequestedAt, Guid? ClonedFromRunId, string CreatedBy,
    IReadOnlyList<RunRank>? Ranks = null);

/// <summary>A rank of a data-parallel run's current attempt (GET /api/v1/runs/{id} only).</summary>
public sealed record RunRank(int Rank, string? Worker, string? Device, string State, bool Local);

public sealed record RunPage(IReadOnlyList<Run> Items, int Total, int Page, int PageSize);

public sealed record MetricPoint(long Step, double Value);

public sealed record MetricSeries(string Key, IReadOnlyList<MetricPoint> Points);

/// <summary>What POST /api/v1/runs/{kind} takes.</summary>
public sealed record SubmitRun(string? Name, int Priority, JsonElement Spec);
