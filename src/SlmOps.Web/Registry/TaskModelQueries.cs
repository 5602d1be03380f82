using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Registry;

/// <summary>Reads task models and their SLM versions; unknown names raise <see cref="RegistryNotFoundException"/>.</summary>
public sealed class TaskModelQueries(SlmOpsDbContext db, SlmVersionResolver resolver)
{
    public async Task<IReadOnlyList<TaskModelDto>> ListAsync(CancellationToken ct)
    {
        var tasks = await db.TaskModels.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var result = new List<TaskModelDto>(tasks.Count);
        foreach (var task in tasks)
        {
            var versions = await ReadVersionsAsync(task, ct);
            result.Add(new TaskModelDto(task.Name, task.Description, task.CreatedBy, task.CreatedAt, versions.Count,
                versions.FirstOrDefault(), AliasMap(versions)));
        }
        return result;
    }

    public async Task<TaskModelDetailDto> GetAsync(string name, CancellationToken ct)
    {
        var task = await FindAsync(name, ct);
        var versions = await ReadVersionsAsync(task, ct);
        return new TaskModelDetailDto(task.Name, task.Description, task.CreatedBy, task.CreatedAt, versions, AliasMap(versions));
    }

    public async Task<IReadOnlyList<SlmVersionDto>> ListVersionsAsync(string name, CancellationToken ct) =>
        await ReadVersionsAsync(await FindAsync(name, ct), ct);

    public async Task<SlmVersionDto> GetVersionAsync(string name, int version, CancellationToken ct)
    {
        var task = await FindAsync(name, ct);
        return (await ReadVersionsAsync(task, ct)).SingleOrDefault(v => v.Version == version)
            ?? throw await resolver.VersionNotFoundAsync(name, task.Id, version, ct);
    }

    internal async Task<TaskModel> FindAsync(string name, CancellationToken ct) =>
        await db.TaskModels.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, ct)
        ?? throw SlmVersionResolver.TaskNotFound(name);

    /// <summary>Newest first, each with its base model, dataset and the aliases that point at it.</summary>
    private async Task<List<SlmVersionDto>> ReadVersionsAsync(TaskModel task, CancellationToken ct)
    {
        var versions = await db.SlmVersions.AsNoTracking()
            .Include(v => v.BaseModelVersion).ThenInclude(b => b.BaseModel)
            .Where(v => v.TaskModelId == task.Id).OrderByDescending(v => v.Version).ToListAsync(ct);
        var datasetIds = versions.Where(v => v.DatasetVersionId is not null).Select(v => v.DatasetVersionId!.Value).Distinct().ToList();
        var datasets = await db.DatasetVersions.AsNoTracking().Where(d => datasetIds.Contains(d.Id))
            .Select(d => new DatasetRefDto(d.Dataset.Name, d.Version, d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var aliases = (await db.Aliases.AsNoTracking().Where(a => a.TaskModelId == task.Id).OrderBy(a => a.Name)
                .Select(a => new { a.Name, a.SlmVersionId }).ToListAsync(ct))
            .ToLookup(a => a.SlmVersionId, a => a.Name);

        return versions.Select(v => new SlmVersionDto(
            task.Name, v.Version, v.Id,
            new BaseModelRefDto(v.BaseModelVersion.BaseModel.Name, v.BaseModelVersion.Version, v.BaseModelVersionId),
            RegistryJson.Name(v.CouplingMode), RegistryJson.Parse(v.Architecture), v.ParameterCount,
            v.DatasetVersionId is { } id && datasets.TryGetValue(id, out var dataset) ? dataset : null,
            v.RunId, RegistryJson.Parse(v.EvaluationMetrics), v.WeightsSha256, v.CreatedBy, v.CreatedAt,
            aliases[v.Id].ToList())).ToList();
    }

    private static Dictionary<string, int> AliasMap(IEnumerable<SlmVersionDto> versions) =>
        versions.SelectMany(v => v.Aliases.Select(a => (Alias: a, v.Version))).ToDictionary(p => p.Alias, p => p.Version);
}
