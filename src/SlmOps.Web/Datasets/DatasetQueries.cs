using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Datasets;

/// <summary>The read side of datasets, over EF Core without tracking; lists show only what the caller's team sees.</summary>
public sealed class DatasetQueries(SlmOpsDbContext db, TeamAccess access)
{
    /// <summary>The datasets the caller sees (its team's and those shared with it), optionally only those of <paramref name="team"/>.</summary>
    public async Task<IReadOnlyList<DatasetDto>> ListAsync(TeamCaller caller, CancellationToken cancellation, string? team = null)
    {
        var visible = access.Datasets(caller).AsNoTracking();
        if (team is not null) visible = visible.Where(d => d.Team == team);
        var rows = await visible
            .OrderBy(d => d.Name)
            .Select(d => new
            {
                Dataset = d,
                Count = d.Versions.Count,
                Latest = d.Versions.OrderByDescending(v => v.Version).FirstOrDefault(),
            })
            .ToListAsync(cancellation);
        return rows.Select(r => new DatasetDto(
            r.Dataset.Name, r.Dataset.Team, r.Dataset.Description, r.Dataset.CreatedBy, r.Dataset.CreatedAt, r.Count,
            r.Latest is null ? null : DatasetVersionDto.From(r.Dataset.Name, r.Latest))).ToList();
    }

    /// <summary>
    /// Whether the caller may do <paramref name="right"/> on the dataset named <paramref name="name"/>; null when no such
    /// dataset exists (answer it, and <see cref="AccessOutcome.NotFound"/>, with the same 404).
    /// </summary>
    public async Task<AccessDecision?> AccessAsync(TeamCaller caller, TeamRight right, string name, CancellationToken cancellation) =>
        await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Name == name, cancellation) is { } dataset
            ? await access.DatasetAsync(caller, right, dataset, cancellation)
            : null;

    /// <summary>A dataset the caller sees, with all its versions; null when it does not exist or is hidden from the caller.</summary>
    public async Task<DatasetDetailDto?> GetAsync(TeamCaller caller, string name, CancellationToken cancellation)
    {
        var dataset = await access.Datasets(caller).AsNoTracking().Include(d => d.Versions).SingleOrDefaultAsync(d => d.Name == name, cancellation);
        return dataset is null
            ? null
            : new DatasetDetailDto(dataset.Name, dataset.Team, dataset.Description, dataset.CreatedBy, dataset.CreatedAt,
                dataset.Versions.OrderByDescending(v => v.Version).Select(v => DatasetVersionDto.From(dataset.Name, v)).ToList());
    }

    /// <summary>A version of a dataset the caller sees; null when either does not exist or the dataset is hidden from the caller.</summary>
    public Task<DatasetVersion?> FindVersionAsync(TeamCaller caller, string name, int version, CancellationToken cancellation)
    {
        var visible = access.Datasets(caller);
        return db.DatasetVersions.AsNoTracking()
            .SingleOrDefaultAsync(v => visible.Any(d => d.Id == v.DatasetId && d.Name == name) && v.Version == version, cancellation);
    }

    public Task<DatasetVersion?> FindVersionAsync(long id, CancellationToken cancellation) =>
        db.DatasetVersions.AsNoTracking().Include(v => v.Dataset).SingleOrDefaultAsync(v => v.Id == id, cancellation);

    /// <summary>Whether a dataset of that name exists that the caller sees.</summary>
    public Task<bool> ExistsAsync(TeamCaller caller, string name, CancellationToken cancellation) =>
        access.Datasets(caller).AnyAsync(d => d.Name == name, cancellation);
}
