using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Runs;

/// <summary>A run as the API and the dashboard show it; <c>Team</c> owns it (the team of the key that submitted it).
/// <c>ParentRunId</c>: the sweep it is a trial of; <c>CancelReason</c>: why the platform cancelled it (e.g. "stopped early at step 40").
/// <c>Ranks</c>: a data-parallel run's ranks of its current attempt and their workers (on a single run's GET; lists omit them).</summary>
public sealed record RunDto(
    Guid Id, RunKind Kind, RunStatus Status, string? Name, string Team, JsonElement Config, int Priority, int Attempt,
    string? WorkerName, string? Device, double Progress, double? LatestLoss, string? Error,
    DateTimeOffset QueuedAt, DateTimeOffset? DispatchedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    DateTimeOffset? HeartbeatAt, DateTimeOffset? CancelRequestedAt, Guid? ClonedFromRunId, string CreatedBy,
    Guid? ParentRunId = null, string? CancelReason = null, IReadOnlyList<RunRankDto>? Ranks = null)
{
    public static RunDto From(Run r) => new(
        r.Id, r.Kind, r.Status, r.Name, r.Team, JsonDocument.Parse(r.Config).RootElement.Clone(), r.Priority, r.Attempt,
        r.WorkerName, r.Device, r.Progress, r.LatestLoss, r.Error, r.QueuedAt, r.DispatchedAt, r.StartedAt,
        r.FinishedAt, r.HeartbeatAt, r.CancelRequestedAt, r.ClonedFromRunId, r.CreatedBy, r.ParentRunId, r.CancelReason);
}

/// <summary>
/// A rank of a data-parallel run's attempt. <c>State</c>: "offered" (no worker has taken it yet), "claimed" (its worker
/// is joining the others) or "joined" (its process group formed). <c>Local</c>: every rank runs on one worker.
/// </summary>
public sealed record RunRankDto(
    int Rank, string? Worker, string? Device, string State, bool Local, DateTimeOffset? ClaimedAt, DateTimeOffset? JoinedAt, DateTimeOffset? HeartbeatAt)
{
    public static RunRankDto From(RunRank k) => new(k.Rank, k.WorkerName, k.Device,
        k.WorkerName is null ? "offered" : k.JoinedAt is null ? "claimed" : "joined", k.Local, k.ClaimedAt, k.JoinedAt, k.HeartbeatAt);
}

/// <summary>A submission: the spec of the run's kind plus the run's name and priority (0..9, higher first).</summary>
public sealed record SubmitRunRequest(string? Name, int Priority, JsonElement Spec);

/// <summary>Clone a run; <see cref="Overrides"/> is a JSON merge patch applied to the original spec.</summary>
public sealed record CloneRunRequest(string? Name, int? Priority, JsonElement? Overrides);

public sealed record RunPage(IReadOnlyList<RunDto> Items, int Total, int Page, int PageSize);

public sealed record MetricPointDto(long Step, double Value);

public sealed record MetricSeriesDto(string Key, IReadOnlyList<MetricPointDto> Points);

public sealed record RunEventDto(long Id, int Attempt, string Level, string Message, DateTimeOffset At);
