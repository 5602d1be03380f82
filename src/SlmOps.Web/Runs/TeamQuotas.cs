using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Runs;

/// <summary>
/// Per-team quotas (teams.max_running_runs, teams.max_queued_runs), so one team cannot fill every worker. A run over a
/// quota is never refused: it waits in Queued, unsent (dispatched_at null), with a run event saying why, and is sent
/// when its team frees a place (<see cref="WakeAsync"/>: a run of the team started or ended; the sweeper's re-dispatch
/// of unclaimed runs is the safety net). Both limits are checked under one advisory lock per team, inside the caller's
/// transaction, so two workers claiming at once cannot both take the last place.
/// </summary>
public sealed class TeamQuotas(SlmOpsDbContext db, IRunDispatcher dispatcher, ILogger<TeamQuotas> logger)
{
    /// <summary>At most this many waiting runs are sent per wake-up.</summary>
    public const int WakeBatch = 10;

    private sealed record Usage(string Team, int? MaxRunning, int? MaxQueued, int Running, int Sent);

    /// <summary>Why the run may not start now (its team is at maxRunningRuns), or null. Call inside a transaction.</summary>
    public static async Task<string?> RunningLimitAsync(SlmOpsDbContext db, Guid runId, CancellationToken ct) =>
        await LockedUsageAsync(db, runId, ct) is { MaxRunning: { } max } usage && usage.Running >= max
            ? $"Waiting: team '{usage.Team}' has {usage.Running} of its {max} runs running (maxRunningRuns); this run stays Queued and starts when one of them ends."
            : null;

    /// <summary>Why the run may not be sent to the workers now (its team is at maxQueuedRuns), or null. Call inside a transaction.</summary>
    public static async Task<string?> QueuedLimitAsync(SlmOpsDbContext db, Guid runId, CancellationToken ct) =>
        await LockedUsageAsync(db, runId, ct) is { MaxQueued: { } max } usage && usage.Sent >= max
            ? $"Waiting: team '{usage.Team}' has {usage.Sent} runs sent to the workers and not started yet (maxQueuedRuns {max}); this run stays Queued and is sent when one of them starts."
            : null;

    /// <summary>
    /// Marks a Queued run (at <paramref name="attempt"/>) as waiting: unsent, and a run event with <paramref name="reason"/>
    /// unless the last one already says it. False when the run is not Queued at that attempt.
    /// </summary>
    public static async Task<bool> WaitAsync(SlmOpsDbContext db, Guid runId, int attempt, string reason, CancellationToken ct)
    {
        var held = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued && r.Attempt == attempt)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DispatchedAt, (DateTimeOffset?)null), ct);
        if (held == 0) return false;
        var last = await db.RunEvents.Where(e => e.RunId == runId).OrderByDescending(e => e.Id).Select(e => e.Message).FirstOrDefaultAsync(ct);
        if (last != reason)
        {
            db.RunEvents.Add(new RunEvent { RunId = runId, Attempt = attempt, Level = RunEventLevel.Info, Message = reason });
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    /// <summary>Sends the team's waiting runs (highest priority, then oldest, first) while it has room under both limits.</summary>
    public async Task WakeAsync(string team, CancellationToken ct)
    {
        var limits = await db.Teams.AsNoTracking().Where(t => t.Name == team).Select(t => new { t.MaxRunningRuns, t.MaxQueuedRuns }).SingleOrDefaultAsync(ct);
        if (limits is null || (limits.MaxRunningRuns is null && limits.MaxQueuedRuns is null)) return;
        var waiting = await db.Runs.AsNoTracking().Where(r => r.Team == team && r.Status == RunStatus.Queued && r.DispatchedAt == null)
            .OrderByDescending(r => r.Priority).ThenBy(r => r.QueuedAt).Select(r => r.Id).Take(WakeBatch).ToListAsync(ct);
        foreach (var runId in waiting)
        {
            var running = await db.Runs.CountAsync(r => r.Team == team && r.Status == RunStatus.Running && r.Kind != RunKind.Sweep, ct);
            if (limits.MaxRunningRuns is { } maxRunning && running >= maxRunning) return;
            try
            {
                if (!await dispatcher.DispatchAsync(runId, ct)) return; // held by maxQueuedRuns, or no longer Queued
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // It stays waiting; the sweeper re-dispatches unclaimed runs.
                logger.LogWarning(error, "Could not send waiting run {RunId} of team {Team}; the sweeper retries", runId, team);
                return;
            }
        }
    }

    private static async Task<Usage?> LockedUsageAsync(SlmOpsDbContext db, Guid runId, CancellationToken ct)
    {
        var owner = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Join(db.Teams, r => r.Team, t => t.Name, (r, t) => new { t.Name, t.MaxRunningRuns, t.MaxQueuedRuns })
            .SingleOrDefaultAsync(ct);
        if (owner is null || (owner.MaxRunningRuns is null && owner.MaxQueuedRuns is null)) return null;
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('slmops-team-quota'), hashtext({owner.Name}))", ct);
        var running = await db.Runs.CountAsync(r => r.Team == owner.Name && r.Status == RunStatus.Running && r.Kind != RunKind.Sweep, ct);
        var sent = await db.Runs.CountAsync(r => r.Team == owner.Name && r.Status == RunStatus.Queued && r.DispatchedAt != null && r.Id != runId, ct);
        return new Usage(owner.Name, owner.MaxRunningRuns, owner.MaxQueuedRuns, running, sent);
    }
}
