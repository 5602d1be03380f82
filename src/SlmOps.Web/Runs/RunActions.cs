using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Commands;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Runs;

/// <summary>Why an action on a run was refused: the HTTP status the API answers with and a message a person can act on.</summary>
public sealed record RunActionRefusal(int StatusCode, string Title, string Detail)
{
    public static RunActionRefusal NotFound(Guid id) =>
        new(StatusCodes.Status404NotFound, "Run not found", $"No run has id {id}. List runs with GET /api/v1/runs.");

    /// <summary>A run of the caller's team, but the caller's role there is too low (runs are never shared, so another team's run is not found).</summary>
    public static RunActionRefusal Forbidden(AccessDecision decision) => new(StatusCodes.Status403Forbidden, decision.Title, decision.Detail);

    public static RunActionRefusal AlreadyFinished(Guid id, RunStatus status) =>
        new(StatusCodes.Status409Conflict, "Run already finished", $"Run {id} already finished as {status}; only Queued or Running runs can be cancelled.");
}

/// <summary>The run as it stands after the cancel request, or why it was refused.</summary>
public sealed record RunCancellation(RunDto? Run, RunActionRefusal? Refusal);

/// <summary>The submitted clone (or its invalid fields), or why there was nothing to clone.</summary>
public sealed record RunClone(RunSubmissionResult? Submission, RunActionRefusal? Refusal);

/// <summary>
/// What a user does to an existing run, shared by the runs API and the dashboard: cancel it, or resubmit its spec
/// with a JSON merge patch of overrides (through <see cref="RunSubmission"/>, the same path as a new run).
/// </summary>
public sealed class RunActions(
    SlmOpsDbContext db, IPublishEndpoint publisher, IRunDispatcher dispatcher, RunLimits limits, TeamQuotas quotas, IEnumerable<IRunObserver> observers)
{
    /// <summary>A queued run is cancelled at once; a running one is asked to stop at its next step boundary.</summary>
    public async Task<RunCancellation> CancelAsync(Guid id, TeamCaller caller, CancellationToken ct = default)
    {
        if (await RefusalAsync(id, caller, TeamRight.Write, ct) is { } refused) return new RunCancellation(null, refused);
        return await StopAsync(id, caller.Name, null, ct);
    }

    /// <summary>
    /// The platform's own cancel, without a team check: a sweep stopping a trial early or cancelling its trials.
    /// <paramref name="reason"/> is stored on the run (cancel_reason) and announced with its end.
    /// </summary>
    public Task<RunCancellation> CancelForAsync(Guid id, string actor, string reason, CancellationToken ct = default) => StopAsync(id, actor, reason, ct);

    private async Task<RunCancellation> StopAsync(Guid id, string actor, string? reason, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        // Conditional updates, so a worker claiming the run at the same moment is never overwritten.
        var cancelledQueued = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.CancelReason, reason)
                .SetProperty(r => r.FinishedAt, now).SetProperty(r => r.CancelRequestedAt, now), ct);
        if (cancelledQueued == 0)
        {
            var requested = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Running && r.CancelRequestedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequestedAt, now).SetProperty(r => r.CancelReason, reason), ct);
            if (requested > 0) await publisher.Publish(new CancelRun(id, actor, reason), ct);
        }
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return new RunCancellation(null, RunActionRefusal.NotFound(id));
        if (run.Status is RunStatus.Succeeded or RunStatus.Failed)
            return new RunCancellation(null, RunActionRefusal.AlreadyFinished(id, run.Status));
        db.RunEvents.Add(new RunEvent
        {
            RunId = id, Attempt = run.Attempt, Level = RunEventLevel.Warning, Message = $"Cancel requested by {actor}" + (reason is null ? "" : $": {reason}"),
        });
        await db.SaveChangesAsync(ct);
        if (cancelledQueued > 0) await quotas.WakeAsync(run.Team, ct); // it no longer holds a place in its team's queue
        foreach (var observer in observers) await observer.CancelRequestedAsync(run, ct);
        return new RunCancellation(RunDto.From(run), null);
    }

    /// <summary>
    /// Submits the original's kind and spec with <see cref="CloneRunRequest.Overrides"/> merged in (RFC 7386); no
    /// overrides (absent or null) resubmit the original spec as it is.
    /// </summary>
    public async Task<RunClone> CloneAsync(Guid id, CloneRunRequest body, TeamCaller caller, CancellationToken ct = default)
    {
        if (await RefusalAsync(id, caller, TeamRight.Read, ct) is { } refused) return new RunClone(null, refused);
        var original = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == id, ct);
        if (body.Overrides is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) } notObject)
        {
            return new RunClone(new RunSubmissionResult(null, new Dictionary<string, string[]>
            {
                ["overrides"] = [$"Must be a JSON object of the spec fields to change (a merge patch, e.g. {{\"validationFraction\": 0.2}}), " +
                                 $"or left out to resubmit the spec as it was; got {notObject.ValueKind.ToString().ToLowerInvariant()}."],
            }, null), null);
        }
        var merged = JsonMergePatch.Apply(JsonNode.Parse(original.Config),
            body.Overrides is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText()) : new JsonObject());
        var request = new SubmitRunRequest(body.Name ?? original.Name, body.Priority ?? original.Priority, JsonSerializer.SerializeToElement(merged));
        var submission = await RunSubmission.SubmitAsync(original.Kind, request, id, caller, limits, db, dispatcher, ct);
        return new RunClone(submission, null);
    }

    /// <summary>Why the caller may not act on the run (404 for a run that does not exist or another team's), or null.</summary>
    private async Task<RunActionRefusal?> RefusalAsync(Guid id, TeamCaller caller, TeamRight right, CancellationToken ct)
    {
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return RunActionRefusal.NotFound(id);
        var decision = TeamAccess.Run(caller, right, run);
        return decision.Outcome switch
        {
            AccessOutcome.Allowed => null,
            AccessOutcome.Forbidden => RunActionRefusal.Forbidden(decision),
            _ => RunActionRefusal.NotFound(id),
        };
    }
}
