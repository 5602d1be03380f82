using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Tracking;

/// <summary>
/// The workers table, the one source of "which workers are online": a worker's presence reports (at start and every
/// few seconds, idle or busy) and each claim and run heartbeat mark it seen; claims and heartbeats also set its run.
/// </summary>
public static class WorkerNodes
{
    public static async Task SeenAsync(SlmOpsDbContext db, string worker, Guid? runId, DateTimeOffset now, CancellationToken ct, string device = "cpu", int slots = 1)
    {
        var updated = await db.Workers.Where(w => w.Name == worker)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastSeenAt, now).SetProperty(w => w.CurrentRunId, runId), ct);
        if (updated > 0) return;
        await InsertAsync(db, new WorkerNode { Name = worker, Device = device, Slots = slots, CurrentRunId = runId, LastSeenAt = now }, ct);
    }

    /// <summary>Marks the worker seen with its device, slots and code version; its current run is left as the run reports set it.</summary>
    public static async Task PresentAsync(SlmOpsDbContext db, WorkerPresence presence, DateTimeOffset now, CancellationToken ct)
    {
        var updated = await db.Workers.Where(w => w.Name == presence.Worker)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastSeenAt, now).SetProperty(w => w.Device, presence.Device)
                .SetProperty(w => w.Slots, presence.Slots).SetProperty(w => w.CodeVersion, presence.CodeVersion), ct);
        if (updated > 0) return;
        await InsertAsync(db, new WorkerNode
        {
            Name = presence.Worker, Device = presence.Device, Slots = presence.Slots, CodeVersion = presence.CodeVersion, StartedAt = now, LastSeenAt = now,
        }, ct);
    }

    private static async Task InsertAsync(SlmOpsDbContext db, WorkerNode node, CancellationToken ct)
    {
        db.Workers.Add(node);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { db.ChangeTracker.Clear(); } // another slot or report of this worker inserted it first
    }
}
