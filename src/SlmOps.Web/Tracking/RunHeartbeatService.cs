using Microsoft.EntityFrameworkCore;
using SlmOps.Artifacts;
using SlmOps.Contracts;
using SlmOps.Contracts.Events;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;
using SlmOps.Data.Metrics;
using SlmOps.Web.Tracking.Gangs;

namespace SlmOps.Web.Tracking;

/// <summary>
/// What a running worker reports: heartbeats (liveness, progress, metric points, log lines) and the checkpoints it
/// uploaded. Metric points are stored even from an attempt that lost the run (they are idempotent on run, key and
/// step); progress and liveness only from the attempt that holds it.
/// </summary>
public sealed class RunHeartbeatService(
    SlmOpsDbContext db, MetricIngester metrics, IArtifactStore store, RunEventPublisher events, IEnumerable<IRunMetricsObserver> observers, GangService gangs)
{
    /// <returns>Null when no run has that id.</returns>
    public async Task<RunHeartbeatResponse?> BeatAsync(Guid runId, RunHeartbeat beat, CancellationToken ct)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Status, r.Attempt, r.CancelRequestedAt }).FirstOrDefaultAsync(ct);
        if (run is null) return null;
        var now = DateTimeOffset.UtcNow;
        if (beat.Metrics.Count > 0)
            await metrics.AppendAsync(beat.Metrics.Select(m => new MetricPoint(runId, m.Key, m.Step, m.Value, m.At)).ToList(), ct);
        foreach (var log in beat.Logs)
            db.RunEvents.Add(new RunEvent { RunId = runId, Attempt = beat.Attempt, Level = Level(log.Level), Message = log.Message, At = log.At });
        if (beat.Logs.Count > 0) await db.SaveChangesAsync(ct);
        // A gang's other ranks only keep their rank alive: rank 0 reports the run's progress.
        if (beat.Rank > 0) return new RunHeartbeatResponse(await gangs.BeatRankAsync(runId, beat, ct), run.CancelRequestedAt is not null);

        var progress = beat.TotalSteps > 0 ? Math.Clamp((double)beat.Step / beat.TotalSteps, 0, 1) : 0;
        var holds = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Attempt == beat.Attempt)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, now).SetProperty(r => r.Progress, progress)
                .SetProperty(r => r.LatestLoss, r => beat.Loss ?? r.LatestLoss), ct) == 1;
        var stop = false;
        if (holds)
        {
            await WorkerNodes.SeenAsync(db, beat.Worker, runId, now, ct);
            if (beat.Metrics.Count > 0)
            {
                // The newest point of each key: what a live view shows beside the step counter.
                var newest = beat.Metrics.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.MaxBy(p => p.Step)!.Value);
                await events.PublishAsync(new RunProgressed(runId, now, beat.Step, beat.TotalSteps, beat.Loss, beat.TokensPerSecond, beat.LearningRate, newest));
                foreach (var observer in observers) stop |= await observer.MetricsStoredAsync(runId, ct);
            }
        }
        return new RunHeartbeatResponse(holds, stop || run.CancelRequestedAt is not null);
    }

    /// <summary>Records the newest checkpoint of the attempt holding the run; an older or foreign one changes nothing.</summary>
    /// <returns>Null when no run has that id; false when the report was stale.</returns>
    public async Task<bool?> CheckpointAsync(Guid runId, RunCheckpointReport report, CancellationToken ct)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == runId, ct)) return null;
        var manifest = Sha256Hex.Require(report.ManifestSha256, "manifestSha256");
        if (!store.Exists(manifest)) throw new RunInputException($"Checkpoint manifest {manifest} is not in the artifact store; upload it first.");
        var files = FolderManifest.Parse(store.PathOf(manifest)).Files.Values;
        await StoredBlobs.EnsureAsync(db, store, files.Append(manifest), ct);
        return await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Attempt == report.Attempt && (r.CheckpointStep == null || r.CheckpointStep < report.Step))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CheckpointSha256, manifest).SetProperty(r => r.CheckpointStep, report.Step), ct) == 1;
    }

    private static RunEventLevel Level(string level) =>
        Enum.TryParse<RunEventLevel>(level, ignoreCase: true, out var parsed) ? parsed : RunEventLevel.Info;
}
