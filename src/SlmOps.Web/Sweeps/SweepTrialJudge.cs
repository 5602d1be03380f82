using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;
using SlmOps.Web.Tracking;

namespace SlmOps.Web.Sweeps;

/// <summary>
/// Early stopping of a sweep's trials: after a heartbeat stored a trial's points, the rungs they reach are judged by
/// <see cref="AshaBracket"/> over the sweep's recorded rung results (sweep_rungs, under the sweep's rung lock), the new
/// results are stored, and a stopped trial is cancelled with the reason "stopped early at step N". Answered in the same
/// heartbeat, so a worker that flushes at the rung's step (a checkpoint) stops right there. The scheduler's pass judges
/// running trials too, the safety net for a heartbeat whose judgement failed.
/// </summary>
public sealed class SweepTrialJudge(SlmOpsDbContext db, RunActions actions, ILogger<SweepTrialJudge> logger) : IRunMetricsObserver
{
    public async Task<bool> MetricsStoredAsync(Guid runId, CancellationToken ct)
    {
        var sweepId = await db.SweepTrials.AsNoTracking().Where(t => t.RunId == runId).Select(t => (Guid?)t.SweepRunId).FirstOrDefaultAsync(ct);
        if (sweepId is null) return false;
        try
        {
            return await JudgeAsync(sweepId.Value, runId, ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The heartbeat itself must not fail for it: the scheduler's next pass judges again.
            logger.LogWarning(error, "Sweep {SweepId}: judging trial {RunId} failed; the scheduler retries", sweepId, runId);
            return false;
        }
    }

    /// <returns>True when this call stopped the trial.</returns>
    public async Task<bool> JudgeAsync(Guid sweepId, Guid trialRunId, CancellationToken ct)
    {
        var sweep = await db.Runs.AsNoTracking().Where(r => r.Id == sweepId).Select(r => new { r.Config, r.Name }).FirstOrDefaultAsync(ct);
        if (sweep is null) return false;
        var plan = SweepPlan.Of(SweepPlan.Read(sweep.Config));
        if (plan.Asha is not { Rungs.Count: > 0 } rule) return false;

        RungResult? stop;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await SweepLocks.RungsAsync(db, sweepId, ct);
            var bracket = new AshaBracket(rule);
            var recorded = await db.SweepRungs.AsNoTracking().Where(r => r.SweepRunId == sweepId).OrderBy(r => r.RecordedAt).ToListAsync(ct);
            foreach (var r in recorded) bracket.Restore(new RungResult(r.RungStep, r.TrialRunId, r.MetricStep, r.Value, r.Continued));
            if (bracket.StoppedAt(trialRunId) is not null) return false;
            var firstRung = rule.Rungs[0];
            var points = await db.RunMetrics.AsNoTracking()
                .Where(m => m.RunId == trialRunId && m.Key == plan.Spec.Metric && m.Step >= firstRung)
                .Select(m => new { m.Step, m.Value }).ToListAsync(ct);
            var results = bracket.Observe(trialRunId, points.Select(p => (p.Step, p.Value)));
            if (results.Count == 0) return false;
            var now = DateTimeOffset.UtcNow;
            db.SweepRungs.AddRange(results.Select(r => new SweepRung
            {
                SweepRunId = sweepId, RungStep = r.Rung, TrialRunId = r.Trial, MetricStep = r.MetricStep, Value = r.Value, Continued = r.Continued, RecordedAt = now,
            }));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            stop = results[^1] is { Continued: false } last ? last : null;
        }
        if (stop is null) return false;
        var reason = $"stopped early at step {stop.MetricStep}";
        logger.LogInformation("Sweep {SweepId}: trial {RunId} {Reason} ({Metric} {Value} at rung {Rung})", sweepId, trialRunId, reason, plan.Spec.Metric, stop.Value, stop.Rung);
        await actions.CancelForAsync(trialRunId, $"sweep {sweep.Name ?? sweepId.ToString()}", reason, ct);
        return true;
    }

    /// <summary>Judges every running trial of a sweep (the scheduler's safety net).</summary>
    public async Task JudgeRunningAsync(Guid sweepId, IEnumerable<Guid> runningTrials, CancellationToken ct)
    {
        foreach (var trial in runningTrials) await JudgeAsync(sweepId, trial, ct);
    }
}
