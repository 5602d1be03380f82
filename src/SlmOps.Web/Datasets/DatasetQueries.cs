using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Datasets;

/// <summary>The read side of datasets, over EF Core without tracking.</summary>
public sealed class DatasetQueries(SlmOpsDbContext db)
{
    public async Task<IReadOnlyList<DatasetDto>> ListAsync(CancellationToken cancellation)
    {
        var rows = await db.Datasets.AsNoTracking()
            .OrderBy(d => d.Name)
            .Select(d => new
            {
                Dataset = d,
                Count = d.Versions.Count,
                Latest = d.Versions.OrderByDescending(v => v.Version).FirstOrDefault(),
            })
            .ToListAsync(cancellation);
        return rows.Select(r => new DatasetDto(
            r.Dataset.Name, r.Dataset.Description, r.Dataset.CreatedBy, r.Dataset.CreatedAt, r.Count,
            r.Latest is null ? null : DatasetVersionDto.From(r.Dataset.Name, r.Latest))).ToList();
    }

    public async Task<DatasetDetailDto?> GetAsync(string name, CancellationToken cancellation)
    {
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Versions).SingleOrDefaultAsync(d => d.Name == name, cancellation);
        return dataset is null
            ? null
            : new DatasetDetailDto(dataset.Name, dataset.Description, dataset.CreatedBy, dataset.CreatedAt,
                dataset.Versions.OrderByDescending(v => v.Version).Select(v => DatasetVersionDto.From(dataset.Name, v)).ToList());
    }

    public Task<DatasetVersion?> FindVersionAsync(string name, int version, CancellationToken cancellation) =>
        db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Dataset.Name == name && v.Version == version, cancellation);

    public Task<DatasetVersion?> FindVersionAsync(long id, CancellationToken cancellation) =>
        db.DatasetVersions.AsNoTracking().Include(v => v.Dataset).SingleOrDefaultAsync(v => v.Id == id, cancellation);

    public Task<bool> ExistsAsync(string name, CancellationToken cancellation) => db.Datasets.AnyAsync(d => d.Name == name, cancellation);
}
