using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;

namespace SlmOps.Worker.Runs;

/// <summary>PostgreSQL is the source of truth: a run is executed only by whoever wins this conditional UPDATE.</summary>
public static class RunClaims
{
    /// <summary>Queued → Running for the attempt the message names; false for a duplicate or stale delivery.</summary>
    public static async Task<bool> TryClaimAsync(SlmOpsDbContext db, Guid runId, int attempt, string worker, string device, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var claimed = await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Queued && r.Attempt == attempt - 1 && r.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.Attempt, attempt)
                .SetProperty(r => r.WorkerName, worker)
                .SetProperty(r => r.Device, device)
                .SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.Error, (string?)null), ct);
        return claimed == 1;
    }

    /// <summary>Running → a terminal state, only for the attempt this worker holds.</summary>
    public static Task<int> FinishAsync(SlmOpsDbContext db, Guid runId, int attempt, RunStatus status, string? error, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        return db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Attempt == attempt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, error)
                .SetProperty(r => r.Progress, r => status == RunStatus.Succeeded ? 1.0 : r.Progress), ct);
    }
}
