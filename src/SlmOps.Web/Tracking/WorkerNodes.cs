using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Tracking;

/// <summary>The workers table: each heartbeat of a worker marks it seen, with the run it executes.</summary>
public static class WorkerNodes
{
    public static async Task SeenAsync(SlmOpsDbContext db, string worker, Guid? runId, DateTimeOffset now, CancellationToken ct, string device = "cpu", int slots = 1)
    {
        var updated = await db.Workers.Where(w => w.Name == worker)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastSeenAt, now).SetProperty(w => w.CurrentRunId, runId), ct);
        if (updated > 0) return;
        db.Workers.Add(new WorkerNode { Name = worker, Device = device, Slots = slots, CurrentRunId = runId, LastSeenAt = now });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { db.ChangeTracker.Clear(); } // another slot of this worker inserted it first
    }
}
