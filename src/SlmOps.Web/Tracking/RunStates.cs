using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Tracking;

/// <summary>
/// PostgreSQL is the source of truth for a run's state: each transition is one conditional UPDATE that only the
/// attempt holding the run can win, so duplicate or stale reports change nothing.
/// </summary>
public static class RunStates
{
    /// <summary>Queued → Running for the attempt the command named; false for a duplicate or stale delivery.</summary>
    public static async Task<bool> TryClaimAsync(SlmOpsDbContext db, Guid runId, int attempt, string worker, string device, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        return await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Queued && r.Attempt == attempt - 1 && r.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.Attempt, attempt)
                .SetProperty(r => r.WorkerName, worker)
                .SetProperty(r => r.Device, device)
                .SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.Error, (string?)null), ct) == 1;
    }

    /// <summary>
    /// Running → Queued for the next attempt (it resumes from the run's checkpoint), only for the attempt that holds the
    /// run; the same move the sweeper makes for a lost worker (LostRunSql). False when the attempt no longer holds it.
    /// </summary>
    public static async Task<bool> TryRequeueAsync(SlmOpsDbContext db, Guid runId, int attempt, CancellationToken ct) =>
        await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Attempt == attempt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Queued)
                .SetProperty(r => r.QueuedAt, DateTimeOffset.UtcNow)
                .SetProperty(r => r.DispatchedAt, (DateTimeOffset?)null)
                .SetProperty(r => r.WorkerName, (string?)null)
                .SetProperty(r => r.HeartbeatAt, (DateTimeOffset?)null), ct) == 1;

    /// <summary>Running → a terminal state, only for the attempt that holds the run; false when it no longer does.</summary>
    public static async Task<bool> FinishAsync(SlmOpsDbContext db, Guid runId, int attempt, RunStatus status, string? error, string? outputs, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        return await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Attempt == attempt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, error)
                .SetProperty(r => r.Outputs, outputs)
                .SetProperty(r => r.Progress, r => status == RunStatus.Succeeded ? 1.0 : r.Progress), ct) == 1;
    }

    public static Task LogAsync(SlmOpsDbContext db, Guid runId, int attempt, RunEventLevel level, string message, CancellationToken ct, DateTimeOffset? at = null)
    {
        db.RunEvents.Add(new RunEvent { RunId = runId, Attempt = attempt, Level = level, Message = message, At = at ?? DateTimeOffset.UtcNow });
        return db.SaveChangesAsync(ct);
    }
}
