using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Events;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;
using SlmOps.Web.Tracking.Gangs;

namespace SlmOps.Web.Tracking;

/// <summary>
/// The claim a worker makes when a run command reaches it: the conditional UPDATE decides who runs it, then the
/// web host parses the spec once and resolves the inputs to content addresses. A run whose inputs do not resolve
/// fails here, with the reason, and the worker moves on.
/// </summary>
public sealed class RunClaimService(
    SlmOpsDbContext db, RunInputResolver inputs, RunEventPublisher events, TeamQuotas quotas, GangService gangs, ILogger<RunClaimService> logger)
{
    /// <returns>Null when no run has that id.</returns>
    public async Task<RunClaimResponse?> ClaimAsync(Guid runId, RunClaimRequest request, CancellationToken ct)
    {
        var (claimed, waiting) = await ClaimWithinQuotaAsync(runId, request, ct);
        if (waiting is not null) return new RunClaimResponse(false, waiting, null);
        if (!claimed)
        {
            var current = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Status, r.Attempt, r.CancelRequestedAt }).FirstOrDefaultAsync(ct);
            if (current is null) return null;
            var reason = current.CancelRequestedAt is not null && current.Status == RunStatus.Queued
                ? "its cancellation was requested"
                : $"it is {current.Status} at attempt {current.Attempt}, not Queued at attempt {request.Attempt - 1} (a duplicate or stale delivery)";
            return new RunClaimResponse(false, reason, null);
        }

        var run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == runId, ct);
        await quotas.WakeAsync(run.Team, ct); // it left the workers' queue: the team may send a waiting run
        await WorkerNodes.SeenAsync(db, request.Worker, runId, DateTimeOffset.UtcNow, ct, request.Device, request.Slots);
        await RunStates.LogAsync(db, runId, request.Attempt, RunEventLevel.Info, $"Started attempt {request.Attempt} on {request.Worker} ({request.Device})", ct);
        await events.PublishAsync(new RunStarted(runId, DateTimeOffset.UtcNow, request.Attempt, request.Worker, request.Device));
        try
        {
            var assignment = await AssignmentAsync(run, request.Attempt, ct);
            if (WorldSize(assignment.Spec) is > 1 and var world)
                assignment = assignment with { Gang = await gangs.FormAsync(run, request.Attempt, request, world, ct) };
            return new RunClaimResponse(true, null, assignment);
        }
        catch (Exception error) when (error is RunInputException or System.Text.Json.JsonException)
        {
            logger.LogWarning("Run {RunId} attempt {Attempt} failed at its claim: {Reason}", runId, request.Attempt, error.Message);
            await RunStates.FinishAsync(db, runId, request.Attempt, RunStatus.Failed, error.Message, null, CancellationToken.None);
            await RunStates.LogAsync(db, runId, request.Attempt, RunEventLevel.Error, "Failed: " + error.Message, CancellationToken.None);
            await events.PublishAsync(new RunFailed(runId, DateTimeOffset.UtcNow, error.Message, WillRetry: false));
            return new RunClaimResponse(false, error.Message, null);
        }
    }

    /// <summary>
    /// A worker claims rank <paramref name="rank"/> of a gang-scheduled run (a <see cref="Contracts.Commands.JoinGang"/>
    /// reached it): the same assignment as rank 0's, with its rank. Null when no run has that id.
    /// </summary>
    public async Task<RunClaimResponse?> ClaimRankAsync(Guid runId, int rank, RunClaimRequest request, CancellationToken ct)
    {
        if (await gangs.ClaimRankAsync(runId, rank, request, ct) is not { } claim) return null;
        if (!claim.Claimed) return new RunClaimResponse(false, claim.Reason, null);
        var run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == runId, ct);
        var assignment = await AssignmentAsync(run, request.Attempt, ct);
        var left = await gangs.JoinTimeLeftAsync(runId, request.Attempt, ct);
        return new RunClaimResponse(true, null, assignment with { Gang = gangs.Assignment(rank, WorldSize(assignment.Spec), left) });
    }

    /// <summary>The typed spec (parsed once, from runs.config), the inputs' content addresses and the checkpoint to resume from.</summary>
    private async Task<RunAssignment> AssignmentAsync(Data.Entities.Run run, int attempt, CancellationToken ct)
    {
        var spec = RunSpecs.Parse(run.Kind, run.Config);
        return new RunAssignment
        {
            RunId = run.Id, Kind = run.Kind, Attempt = attempt, CreatedBy = run.CreatedBy, Spec = spec,
            Inputs = await inputs.ResolveAsync(db, spec, ct),
            Checkpoint = run.CheckpointSha256 is { } checkpoint && run.CheckpointStep is { } step ? new CheckpointRef(step, checkpoint) : null,
        };
    }

    private static int WorldSize(RunSpec spec) => (spec.Pretrain?.Distributed ?? spec.FineTune?.Distributed)?.WorldSize ?? 1;

    /// <summary>
    /// The conditional claim, unless the run's team is at its maxRunningRuns: then the run waits in Queued (unsent, with a
    /// run event) and the worker is told why. Count and claim share one transaction under the team's quota lock.
    /// </summary>
    private async Task<(bool Claimed, string? Waiting)> ClaimWithinQuotaAsync(Guid runId, RunClaimRequest request, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await TeamQuotas.RunningLimitAsync(db, runId, ct) is { } reason
            && await TeamQuotas.WaitAsync(db, runId, request.Attempt - 1, reason, ct))
        {
            await transaction.CommitAsync(ct);
            logger.LogInformation("Run {RunId} waits: {Reason}", runId, reason);
            return (false, reason);
        }
        var claimed = await RunStates.TryClaimAsync(db, runId, request.Attempt, request.Worker, request.Device, ct);
        await transaction.CommitAsync(ct);
        return (claimed, null);
    }
}
