using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Sweeps;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Sweeps;

/// <summary>
/// The read side of sweeps, shared by the API, the CLI's view of it and the scheduler's final summary: each trial's
/// parameters, run status and best value of the sweep's metric (from the runs' own metric points, so the leaderboard is
/// what the runs recorded), ranked best first. Limited to the sweeps the caller's team sees.
/// </summary>
public sealed class SweepQueries(SlmOpsDbContext db, TeamAccess access)
{
    public async Task<SweepDto?> GetAsync(TeamCaller caller, Guid id, CancellationToken ct = default) =>
        await access.Runs(caller).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.Kind == RunKind.Sweep, ct) is { } sweep
            ? await ViewAsync(sweep, ct)
            : null;

    /// <summary>The view of a sweep run, whoever asks (callers check access first).</summary>
    public async Task<SweepDto> ViewAsync(Run sweep, CancellationToken ct)
    {
        var plan = SweepPlan.Of(SweepPlan.Read(sweep.Config));
        var spec = plan.Spec;
        var trials = await db.SweepTrials.AsNoTracking().Where(t => t.SweepRunId == sweep.Id).OrderBy(t => t.TrialIndex).ToListAsync(ct);
        var runIds = trials.Where(t => t.RunId is not null).Select(t => t.RunId!.Value).ToList();
        var runs = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id))
            .Select(r => new { r.Id, r.Status, r.Outputs }).ToDictionaryAsync(r => r.Id, ct);
        var points = await db.RunMetrics.AsNoTracking().Where(m => runIds.Contains(m.RunId) && m.Key == spec.Metric)
            .Select(m => new { m.RunId, m.Step, m.Value }).ToListAsync(ct);
        var byRun = points.GroupBy(p => p.RunId).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Step).Select(p => (p.Step, p.Value)).ToList());
        var stops = await db.SweepRungs.AsNoTracking().Where(r => r.SweepRunId == sweep.Id && !r.Continued)
            .Select(r => new { r.TrialRunId, r.MetricStep }).ToDictionaryAsync(r => r.TrialRunId, r => r.MetricStep, ct);
        var maximize = spec.Direction == SweepDirections.Maximize;
        var versionIds = runs.Values.Select(r => SlmVersionOf(r.Outputs)).OfType<long>().ToList();
        var versions = await db.SlmVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Join(db.TaskModels, v => v.TaskModelId, t => t.Id, (v, t) => new { v.Id, Task = t.Name, v.Version }).ToDictionaryAsync(v => v.Id, ct);

        var views = trials.Select(t =>
        {
            var run = t.RunId is { } id && runs.TryGetValue(id, out var r) ? r : null;
            var series = t.RunId is { } rid && byRun.TryGetValue(rid, out var s) ? s : [];
            var best = Best(series, maximize);
            var slm = SlmVersionOf(run?.Outputs) is { } vid && versions.TryGetValue(vid, out var v) ? v : null;
            return new SweepTrialDto(
                t.TrialIndex, t.RunId, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(t.Params) ?? [], run?.Status,
                best?.Value, best?.Step, series.Count > 0 ? series[^1].Step : null,
                t.RunId is { } sid && stops.TryGetValue(sid, out var stoppedAt) ? stoppedAt : null, t.Error, slm?.Id, slm?.Task, slm?.Version);
        }).ToList();
        var ranked = views.Where(v => v.BestValue is not null).OrderBy(v => maximize ? -v.BestValue!.Value : v.BestValue!.Value).ThenBy(v => v.Index)
            .Concat(views.Where(v => v.BestValue is null)).ToList();
        var leader = ranked.FirstOrDefault(v => v.Status == RunStatus.Succeeded && v.BestValue is not null);
        return new SweepDto(
            sweep.Id, sweep.Name, sweep.Team, sweep.Status, spec.TrialKind, spec.Metric, spec.Direction, plan.Budget, spec.Parallelism,
            trials.Count, views.Count(v => v.Status is RunStatus.Queued or RunStatus.Running), sweep.Error, sweep.CreatedAt, sweep.FinishedAt,
            ranked, leader);
    }

    /// <summary>The best point of a series (the earliest of equals), or null for none.</summary>
    public static (long Step, double Value)? Best(IReadOnlyList<(long Step, double Value)> series, bool maximize)
    {
        (long Step, double Value)? best = null;
        foreach (var point in series.Where(p => !double.IsNaN(p.Value)))
            if (best is null || (maximize ? point.Value > best.Value.Value : point.Value < best.Value.Value)) best = point;
        return best;
    }

    private static long? SlmVersionOf(string? outputs) =>
        outputs is not null && JsonSerializer.Deserialize<Dictionary<string, string>>(outputs) is { } map
        && map.TryGetValue("slm_version", out var version) && long.TryParse(version, out var id) ? id : null;
}
