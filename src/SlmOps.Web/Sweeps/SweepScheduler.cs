using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Events;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;
using SlmOps.Web.Tracking;

namespace SlmOps.Web.Sweeps;

/// <summary>
/// One pass over a sweep, run by Hangfire jobs (never an in-memory loop): under the sweep's schedule lock it reads the
/// sweep's state from PostgreSQL, cancels the trials of a cancelled sweep, judges running trials' rungs, submits the next
/// trials in order through <see cref="RunSubmission"/> while fewer than <c>parallelism</c> are queued or running, and ends
/// the sweep when every trial of the budget has ended. Each trial's run is inserted with its sweep_trials row in one
/// transaction, keyed by (sweep, trial index): a pass repeated after a restart submits nothing twice and skips nothing.
/// </summary>
public sealed class SweepScheduler(
    SlmOpsDbContext db, RunLimits limits, IRunDispatcher dispatcher, RunActions actions, SweepTrialJudge judge, SweepQueries queries,
    RunEventPublisher events, ILogger<SweepScheduler> logger)
{
    public const string CancelledReason = "the sweep was cancelled";

    public async Task AdvanceAsync(Guid sweepId, CancellationToken ct)
    {
        await using var held = await SweepLocks.ScheduleAsync(db, sweepId, ct);
        var sweep = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == sweepId && r.Kind == RunKind.Sweep, ct);
        if (sweep is null || sweep.Status.IsTerminal()) return;
        var plan = SweepPlan.Of(SweepPlan.Read(sweep.Config));
        var trials = await db.SweepTrials.AsNoTracking().Where(t => t.SweepRunId == sweepId).ToListAsync(ct);
        var runIds = trials.Where(t => t.RunId is not null).Select(t => t.RunId!.Value).ToList();
        var states = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Status, ct);
        var inFlight = states.Where(s => !s.Value.IsTerminal()).Select(s => s.Key).ToList();

        if (sweep.CancelRequestedAt is not null)
        {
            foreach (var trial in inFlight) await actions.CancelForAsync(trial, Actor(sweep), CancelledReason, ct);
            await EndAsync(sweep, RunStatus.Cancelled, null, null, ct);
            return;
        }
        await judge.JudgeRunningAsync(sweepId, inFlight.Where(id => states[id] == RunStatus.Running), ct);

        var next = trials.Count == 0 ? 0 : trials.Max(t => t.TrialIndex) + 1;
        var caller = new TeamCaller(sweep.CreatedBy, sweep.Team, ApiKeyRole.Editor);
        var running = inFlight.Count;
        for (; next < plan.Budget && running < plan.Spec.Parallelism; next++)
        {
            if (await SubmitAsync(sweep, plan, plan.Trials[next], caller, ct)) running++;
        }
        var ended = await db.SweepTrials.AsNoTracking().Where(t => t.SweepRunId == sweepId)
            .CountAsync(t => t.RunId == null || db.Runs.Any(r => r.Id == t.RunId && (r.Status == RunStatus.Succeeded || r.Status == RunStatus.Failed || r.Status == RunStatus.Cancelled)), ct);
        await db.Runs.Where(r => r.Id == sweepId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Progress, Math.Clamp((double)ended / plan.Budget, 0, 1)), ct);
        if (next >= plan.Budget && ended == plan.Budget) await FinishAsync(sweep, ct);
    }

    /// <returns>True when the trial's run was queued.</returns>
    private async Task<bool> SubmitAsync(Run sweep, SweepPlan plan, SweepTrialParams trial, TeamCaller caller, CancellationToken ct)
    {
        var values = JsonSerializer.Serialize(trial.Values);
        var name = $"{Truncate(sweep.Name ?? "sweep", limits.MaxNameLength - 12)} #{trial.Index}";
        var request = new SubmitRunRequest(name, sweep.Priority, plan.TrialSpec(trial));
        var link = new RunChild(sweep.Id, (context, run) =>
            context.SweepTrials.Add(new SweepTrial { SweepRunId = sweep.Id, TrialIndex = trial.Index, RunId = run.Id, Params = values }));
        db.ChangeTracker.Clear();
        var result = await RunSubmission.SubmitAsync(plan.TrialKind, request, null, caller, limits, db, dispatcher, ct, link);
        if (result.Succeeded)
        {
            logger.LogInformation("Sweep {SweepId}: trial {Index} is run {RunId}", sweep.Id, trial.Index, result.Run!.Id);
            return true;
        }
        // Refused since the sweep was submitted (a share withdrawn, a version deleted): recorded, and it counts as spent.
        var why = result.Detail is { } detail && result.Errors.Count == 0 ? detail
            : string.Join("; ", result.Errors.Select(e => $"{SweepSpecValidator.FieldOf(e.Key, trial)}: {e.Value[0]}"));
        db.ChangeTracker.Clear();
        db.SweepTrials.Add(new SweepTrial { SweepRunId = sweep.Id, TrialIndex = trial.Index, Params = values, Error = why });
        db.RunEvents.Add(new RunEvent { RunId = sweep.Id, Level = RunEventLevel.Error, Message = $"Trial {trial.Index} was not submitted: {why}" });
        await db.SaveChangesAsync(ct);
        return false;
    }

    private async Task FinishAsync(Run sweep, CancellationToken ct)
    {
        var view = await queries.ViewAsync(sweep, ct);
        if (view.Best is { } best)
        {
            var outputs = new Dictionary<string, string> { ["best_run"] = best.RunId!.Value.ToString(), ["best_trial"] = best.Index.ToString() };
            if (best.SlmVersionId is { } slm) outputs["slm_version"] = slm.ToString();
            await EndAsync(sweep, RunStatus.Succeeded, null, outputs, ct);
        }
        else
        {
            var counts = string.Join(", ", view.Trials.GroupBy(t => t.Status?.ToString() ?? "not submitted").Select(g => $"{g.Count()} {g.Key}"));
            await EndAsync(sweep, RunStatus.Failed, $"No trial succeeded with a value of {view.Metric} ({counts}).", null, ct);
        }
    }

    private async Task EndAsync(Run sweep, RunStatus status, string? error, Dictionary<string, string>? outputs, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var json = outputs is null ? null : JsonSerializer.Serialize(outputs);
        var ended = await db.Runs.Where(r => r.Id == sweep.Id && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.FinishedAt, now).SetProperty(r => r.Error, error)
                .SetProperty(r => r.Outputs, json).SetProperty(r => r.Progress, r => status == RunStatus.Succeeded ? 1.0 : r.Progress), ct);
        if (ended == 0) return;
        var message = status switch
        {
            RunStatus.Succeeded => "Succeeded: " + string.Join(", ", outputs!.Select(o => $"{o.Key}={o.Value}")),
            RunStatus.Cancelled => "Cancelled: " + CancelledReason,
            _ => "Failed: " + error,
        };
        await RunStates.LogAsync(db, sweep.Id, 0, status == RunStatus.Failed ? RunEventLevel.Error : RunEventLevel.Info, message, ct);
        logger.LogInformation("Sweep {SweepId} ended {Status}", sweep.Id, status);
        switch (status)
        {
            case RunStatus.Succeeded: await events.PublishAsync(new RunCompleted(sweep.Id, now, outputs!)); break;
            case RunStatus.Cancelled: await events.PublishAsync(new RunCancelled(sweep.Id, now, "requested")); break;
            default: await events.PublishAsync(new RunFailed(sweep.Id, now, error!, WillRetry: false)); break;
        }
    }

    private static string Actor(Run sweep) => $"sweep {sweep.Name ?? sweep.Id.ToString()}";

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..Math.Max(1, length)];
}
