using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SlmOps.Contracts;
using SlmOps.Contracts.Events;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;
using SlmOps.Web.Tracking.Gangs;
using SlmOps.Web.Tracking.Registration;

namespace SlmOps.Web.Tracking;

/// <summary>
/// Ends an attempt: registers a success's outputs and marks the run in one transaction, or records a failure or a
/// cancellation. Idempotent: an outcome for an attempt that already ended returns what was recorded, so a worker
/// that retries after a lost answer registers nothing twice.
/// </summary>
public sealed class RunOutcomeService(
    SlmOpsDbContext db, OutputRegistrar registrar, RunEventPublisher events, TeamQuotas quotas, IEnumerable<IRunObserver> observers,
    GangService gangs, IRunDispatcher dispatcher, ILogger<RunOutcomeService> logger)
{
    private const int Attempts = 5;

    public sealed record Result(bool Found, bool Holds, RunOutcomeResponse? Response);

    public async Task<Result> EndAsync(Guid runId, RunOutcome outcome, CancellationToken ct)
    {
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null) return new Result(false, false, null);
        if (run.Attempt == outcome.Attempt && run.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled)
            return new Result(true, true, new RunOutcomeResponse(run.Status, Outputs(run.Outputs))); // a retry: same answer
        if (run.Status != RunStatus.Running || run.Attempt != outcome.Attempt) return new Result(true, false, null);

        if (outcome.Status == RunStatus.Failed && outcome.Retryable && await RetryAsync(run, outcome, ct) is { } retried)
            return new Result(true, true, retried);
        var response = outcome.Status switch
        {
            RunStatus.Succeeded => await SucceedAsync(run, outcome, ct),
            RunStatus.Cancelled => await EndWithoutOutputAsync(run, RunStatus.Cancelled, null, RunEventLevel.Warning,
                "Cancelled at a step boundary" + (run.CancelReason is { } reason ? $": {reason}" : ""),
                new RunCancelled(runId, DateTimeOffset.UtcNow, run.CancelReason ?? "requested")),
            _ => await FailAsync(run, outcome.Error ?? "The worker reported a failure without a message."),
        };
        if (response is not null)
        {
            await quotas.WakeAsync(run.Team, CancellationToken.None); // a place of the team is free
            foreach (var observer in observers) await observer.EndedAsync(runId, CancellationToken.None);
        }
        return new Result(true, response is not null, response);
    }

    private async Task<RunOutcomeResponse?> SucceedAsync(Run run, RunOutcome outcome, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var outputs = await registrar.RegisterAsync(db, run, outcome, ct);
                if (!await RunStates.FinishAsync(db, run.Id, run.Attempt, RunStatus.Succeeded, null, JsonSerializer.Serialize(outputs), ct))
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    return null; // lost the run while registering (the sweeper re-queued it): nothing is kept
                }
                await RunStates.LogAsync(db, run.Id, run.Attempt, RunEventLevel.Info, "Succeeded: " + string.Join(", ", outputs.Select(o => $"{o.Key}={o.Value}")), ct);
                await transaction.CommitAsync(ct);
                await events.PublishAsync(new RunCompleted(run.Id, DateTimeOffset.UtcNow, outputs));
                return new RunOutcomeResponse(RunStatus.Succeeded, outputs);
            }
            catch (Exception error) when (IsVersionCollision(error) && attempt < Attempts)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                logger.LogInformation("Run {RunId}: version number taken by a concurrent registration, retrying", run.Id);
            }
            catch (RunInputException error)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                return await FailAsync(run, "Registering the output failed: " + error.Message);
            }
        }
    }

    /// <summary>
    /// A gang lost a rank: a gang that never formed is released without using an attempt; one that trained goes back
    /// to Queued for the next attempt (resuming from its checkpoint) while attempts are left. Either way it is sent
    /// again at once. Null when no attempts are left (the caller records the failure) or the attempt lost the run.
    /// </summary>
    private async Task<RunOutcomeResponse?> RetryAsync(Run run, RunOutcome outcome, CancellationToken ct)
    {
        var error = outcome.Error ?? "a rank failed";
        var released = await gangs.ReleaseUnformedAsync($"rank 0 on {outcome.Worker}: {error}", ct, run.Id, run.Attempt);
        if (released.Count == 0)
        {
            if (run.Attempt >= run.MaxAttempts) return null;
            if (!await RunStates.TryRequeueAsync(db, run.Id, run.Attempt, ct)) return null;
            var resume = run.CheckpointStep is { } step ? $"resumes from the checkpoint at step {step}" : "starts over (no checkpoint was uploaded yet)";
            await RunStates.LogAsync(db, run.Id, run.Attempt, RunEventLevel.Warning,
                $"The gang broke: {error}. Re-queued for attempt {run.Attempt + 1} of {run.MaxAttempts}, which {resume}.", ct);
            await events.PublishAsync(new RunFailed(run.Id, DateTimeOffset.UtcNow, error, WillRetry: true));
        }
        logger.LogWarning("Run {RunId} attempt {Attempt}: the gang lost a rank ({Error}); back in the queue", run.Id, run.Attempt, error);
        await quotas.WakeAsync(run.Team, CancellationToken.None);
        try { await dispatcher.DispatchAsync(run.Id, CancellationToken.None); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not re-dispatch run {RunId}; the sweeper sends it again", run.Id); // it stays Queued
        }
        return new RunOutcomeResponse(RunStatus.Queued, new Dictionary<string, string>());
    }

    private Task<RunOutcomeResponse?> FailAsync(Run run, string error) =>
        EndWithoutOutputAsync(run, RunStatus.Failed, error, RunEventLevel.Error, "Failed: " + error, new RunFailed(run.Id, DateTimeOffset.UtcNow, error, WillRetry: false));

    private async Task<RunOutcomeResponse?> EndWithoutOutputAsync<T>(Run run, RunStatus status, string? error, RunEventLevel level, string message, T announcement)
        where T : class, IRunEvent
    {
        if (!await RunStates.FinishAsync(db, run.Id, run.Attempt, status, error, null, CancellationToken.None)) return null;
        await RunStates.LogAsync(db, run.Id, run.Attempt, level, message, CancellationToken.None);
        await events.PublishAsync(announcement);
        return new RunOutcomeResponse(status, new Dictionary<string, string>());
    }

    private static bool IsVersionCollision(Exception error) =>
        error.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique
        && unique.ConstraintName is { } name && name.Contains("version", StringComparison.Ordinal) && !name.Contains("run_idx", StringComparison.Ordinal);

    private static Dictionary<string, string> Outputs(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
