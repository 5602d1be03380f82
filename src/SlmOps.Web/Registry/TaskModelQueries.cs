using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Registry;

/// <summary>
/// Reads task models and their SLM versions, as far as the caller's team sees them (its own, and those shared with it);
/// unknown and hidden names raise the same <see cref="RegistryNotFoundException"/>.
/// </summary>
public sealed class TaskModelQueries(SlmOpsDbContext db, SlmVersionResolver resolver, TeamAccess access)
{
    /// <summary>The task models the caller sees, optionally only those of <paramref name="team"/>.</summary>
    public async Task<IReadOnlyList<TaskModelDto>> ListAsync(TeamCaller caller, CancellationToken ct, string? team = null)
    {
        var visible = access.TaskModels(caller).AsNoTracking();
        if (team is not null) visible = visible.Where(t => t.Team == team);
        var tasks = await visible.OrderBy(t => t.Name).ToListAsync(ct);
        var result = new List<TaskModelDto>(tasks.Count);
        foreach (var task in tasks)
        {
            var versions = await ReadVersionsAsync(task, ct);
            result.Add(new TaskModelDto(task.Name, task.Team, task.Description, task.CreatedBy, task.CreatedAt, versions.Count,
                versions.FirstOrDefault(), AliasMap(versions)));
        }
        return result;
    }

    public async Task<TaskModelDetailDto> GetAsync(TeamCaller caller, string name, CancellationToken ct)
    {
        var task = await FindAsync(caller, TeamRight.Read, name, ct);
        var versions = await ReadVersionsAsync(task, ct);
        return new TaskModelDetailDto(task.Name, task.Team, task.Description, task.CreatedBy, task.CreatedAt, versions, AliasMap(versions));
    }

    public async Task<IReadOnlyList<SlmVersionDto>> ListVersionsAsync(TeamCaller caller, string name, CancellationToken ct) =>
        await ReadVersionsAsync(await FindAsync(caller, TeamRight.Read, name, ct), ct);

    public async Task<SlmVersionDto> GetVersionAsync(TeamCaller caller, string name, int version, CancellationToken ct)
    {
        var task = await FindAsync(caller, TeamRight.Read, name, ct);
        return (await ReadVersionsAsync(task, ct)).SingleOrDefault(v => v.Version == version)
            ?? throw await resolver.VersionNotFoundAsync(name, task.Id, version, ct);
    }

    /// <summary>
    /// The task model when the caller may do <paramref name="right"/> on it; a task that does not exist or that the caller
    /// does not see raises <see cref="SlmVersionResolver.TaskNotFound"/> (404), one it sees but may not change so a
    /// <see cref="TeamAccessDeniedException"/> (403 naming the owning team and the role needed).
    /// </summary>
    internal async Task<TaskModel> FindAsync(TeamCaller caller, TeamRight right, string name, CancellationToken ct)
    {
        var task = await db.TaskModels.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, ct) ?? throw SlmVersionResolver.TaskNotFound(name);
        var decision = await access.TaskModelAsync(caller, right, task, ct);
        return decision.Outcome switch
        {
            AccessOutcome.Allowed => task,
            AccessOutcome.Forbidden => throw new TeamAccessDeniedException(decision),
            _ => throw SlmVersionResolver.TaskNotFound(name),
        };
    }

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
