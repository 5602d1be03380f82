using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Web.Teams;
using SlmOps.Web.Tracking.Gangs;

namespace SlmOps.Web.Runs;

/// <summary>Filters of a run listing; null means "any". Search matches the run's name or id; Team keeps one team's runs; Sweep a sweep's trials.</summary>
public sealed record RunFilter(RunStatus? Status = null, RunKind? Kind = null, string? Search = null, string? Team = null, Guid? Sweep = null);

/// <summary>
/// The read side of runs, shared by the runs API and the dashboard pages, so both show the same rows the same way.
/// Every read is limited to the runs the caller's team sees (<see cref="TeamAccess.Runs"/>): another team's run reads as
/// one that does not exist.
/// </summary>
public sealed class RunQueries(SlmOpsDbContext db, TeamAccess access)
{
    public const int MaxPageSize = 500;
    /// <summary>Highest page number: (MaxPage - 1) * MaxPageSize must still be a valid row offset.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;
    public const int MinMetricPoints = 2;
    public const int MaxMetricPoints = 10_000;
    public const int MaxEventLimit = 5000;

    /// <summary>Newest first; <paramref name="page"/> counts from 1 and <paramref name="pageSize"/> is clamped to 1..500 (the API refuses values outside those ranges before they come here).</summary>
    public async Task<RunPage> ListAsync(TeamCaller caller, RunFilter filter, int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        page = Math.Clamp(page, 1, MaxPage);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var query = access.Runs(caller).AsNoTracking();
        if (filter.Team is { } team) query = query.Where(r => r.Team == team);
        if (filter.Status is { } status) query = query.Where(r => r.Status == status);
        if (filter.Kind is { } kind) query = query.Where(r => r.Kind == kind);
        if (filter.Sweep is { } sweep) query = query.Where(r => r.ParentRunId == sweep);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = $"%{filter.Search.Trim()}%";
            query = query.Where(r => (r.Name != null && EF.Functions.ILike(r.Name, pattern)) || EF.Functions.ILike(r.Id.ToString(), pattern));
        }
        var total = await query.CountAsync(ct);
        var runs = await query.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new RunPage(runs.Select(RunDto.From).ToList(), total, page, pageSize);
    }

    /// <summary>One run, with the ranks of its current attempt when it is data-parallel.</summary>
    public async Task<RunDto?> GetAsync(TeamCaller caller, Guid id, CancellationToken ct = default)
    {
        if (await access.Runs(caller).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is not { } run) return null;
        var ranks = await GangService.RanksAsync(db, run.Id, run.Attempt, ct);
        return RunDto.From(run) with { Ranks = ranks.Count == 0 ? null : ranks.Select(RunRankDto.From).ToList() };
    }

    /// <summary>The runs with these ids that exist and the caller sees, oldest first.</summary>
    public async Task<IReadOnlyList<RunDto>> GetManyAsync(TeamCaller caller, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        var runs = await access.Runs(caller).AsNoTracking().Where(r => ids.Contains(r.Id)).OrderBy(r => r.CreatedAt).ToListAsync(ct);
        return runs.Select(RunDto.From).ToList();
    }

    public Task<bool> ExistsAsync(TeamCaller caller, Guid id, CancellationToken ct = default) => access.Runs(caller).AnyAsync(r => r.Id == id, ct);

    /// <summary>Metric series of a run (one key, or all), each downsampled to at most <paramref name="maxPoints"/> (2..10,000) points.</summary>
    public async Task<IReadOnlyList<MetricSeriesDto>> MetricsAsync(Guid id, string? key = null, int maxPoints = 500, CancellationToken ct = default)
    {
        maxPoints = Math.Clamp(maxPoints, MinMetricPoints, MaxMetricPoints);
        var query = db.RunMetrics.AsNoTracking().Where(m => m.RunId == id);
        if (!string.IsNullOrEmpty(key)) query = query.Where(m => m.Key == key);
        var points = await query.OrderBy(m => m.Key).ThenBy(m => m.Step).Select(m => new { m.Key, m.Step, m.Value }).ToListAsync(ct);
        return points.GroupBy(p => p.Key)
            .Select(g => new MetricSeriesDto(g.Key, MetricDownsampler.Downsample(g.Select(p => new MetricPointDto(p.Step, p.Value)).ToList(), maxPoints)))
            .ToList();
    }

    /// <summary>Log lines after event id <paramref name="after"/>, oldest first, at most <paramref name="limit"/> (1..5,000).</summary>
    public async Task<IReadOnlyList<RunEventDto>> EventsAfterAsync(Guid id, long after = 0, int limit = 500, CancellationToken ct = default)
    {
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == id && e.Id > after).OrderBy(e => e.Id)
            .Take(Math.Clamp(limit, 1, MaxEventLimit)).ToListAsync(ct);
        return events.Select(ToDto).ToList();
    }

    /// <summary>The last <paramref name="limit"/> log lines, oldest first: the tail a run page shows.</summary>
    public async Task<IReadOnlyList<RunEventDto>> LatestEventsAsync(Guid id, int limit = 500, CancellationToken ct = default)
    {
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == id).OrderByDescending(e => e.Id)
            .Take(Math.Clamp(limit, 1, MaxEventLimit)).ToListAsync(ct);
        return events.OrderBy(e => e.Id).Select(ToDto).ToList();
    }

    private static RunEventDto ToDto(Data.Entities.RunEvent e) => new(e.Id, e.Attempt, e.Level.ToString().ToLowerInvariant(), e.Message, e.At);
}
