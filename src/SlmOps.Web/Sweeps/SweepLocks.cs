using Microsoft.EntityFrameworkCore;
using SlmOps.Data;

namespace SlmOps.Web.Sweeps;

/// <summary>
/// PostgreSQL advisory locks per sweep, so web instances and Hangfire workers take each sweep decision once: the
/// scheduler's pass (a session lock: it spans submissions, each its own transaction) and the rung decisions of early
/// stopping (a transaction lock). A host that dies releases its locks with its connection.
/// </summary>
public static class SweepLocks
{
    public static async Task<IAsyncDisposable> ScheduleAsync(SlmOpsDbContext db, Guid sweepId, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var key = sweepId.ToString();
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock(hashtext('slmops-sweep-schedule'), hashtext({key}))", ct);
        return new Release(db, key);
    }

    /// <summary>Call inside a transaction; held until it ends.</summary>
    public static Task RungsAsync(SlmOpsDbContext db, Guid sweepId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('slmops-sweep-rungs'), hashtext({sweepId.ToString()}))", ct);

    private sealed class Release(SlmOpsDbContext db, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try { await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(hashtext('slmops-sweep-schedule'), hashtext({key}))", CancellationToken.None); }
            finally { await db.Database.CloseConnectionAsync(); }
        }
    }
}
