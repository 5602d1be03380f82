using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Components.Pages.Runs;

/// <summary>Filters of the runs table; null means "any".</summary>
public sealed record RunFilter(RunStatus? Status, RunKind? Kind, string? Search, int Limit = 200);

/// <summary>The dashboard's read side of runs: the same rows and DTOs the runs API answers with.</summary>
public static class RunReader
{
    public static async Task<IReadOnlyList<RunDto>> ListAsync(SlmOpsDbContext db, RunFilter filter, CancellationToken ct = default)
    {
        var query = db.Runs.AsNoTracking();
        if (filter.Status is { } status) query = query.Where(r => r.Status == status);
        if (filter.Kind is { } kind) query = query.Where(r => r.Kind == kind);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = $"%{filter.Search.Trim()}%";
            query = query.Where(r => (r.Name != null && EF.Functions.ILike(r.Name, pattern)) || EF.Functions.ILike(r.Id.ToString(), pattern));
        }
        var runs = await query.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id).Take(filter.Limit).ToListAsync(ct);
        return runs.Select(RunDto.From).ToList();
    }

    public static async Task<RunDto?> GetAsync(SlmOpsDbContext db, Guid id, CancellationToken ct = default) =>
        await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } run ? RunDto.From(run) : null;

    public static async Task<IReadOnlyList<RunDto>> GetManyAsync(SlmOpsDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        var runs = await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).OrderBy(r => r.CreatedAt).ToListAsync(ct);
        return runs.Select(RunDto.From).ToList();
    }

    /// <summary>Every metric series of a run, each downsampled to at most <paramref name="maxPoints"/> points.</summary>
    public static async Task<IReadOnlyList<MetricSeriesDto>> MetricsAsync(SlmOpsDbContext db, Guid id, int maxPoints = 400, CancellationToken ct = default)
    {
        var points = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == id)
            .OrderBy(m => m.Key).ThenBy(m => m.Step).Select(m => new { m.Key, m.Step, m.Value }).ToListAsync(ct);
        return points.GroupBy(p => p.Key)
            .Select(g => new MetricSeriesDto(g.Key, MetricDownsampler.Downsample(g.Select(p => new MetricPointDto(p.Step, p.Value)).ToList(), maxPoints)))
            .ToList();
    }

    public static async Task<IReadOnlyList<RunEventDto>> EventsAsync(SlmOpsDbContext db, Guid id, int limit = 500, CancellationToken ct = default)
    {
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == id).OrderByDescending(e => e.Id).Take(limit).ToListAsync(ct);
        return events.OrderBy(e => e.Id)
            .Select(e => new RunEventDto(e.Id, e.Attempt, e.Level.ToString().ToLowerInvariant(), e.Message, e.At)).ToList();
    }
}
