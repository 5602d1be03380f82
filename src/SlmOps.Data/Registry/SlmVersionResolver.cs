using Microsoft.EntityFrameworkCore;
using SlmOps.Data;

namespace SlmOps.Data.Registry;

/// <summary>
/// The one place that turns (task, alias | version) into an SLM version; serving, the dashboard and the registry API
/// all resolve through it. Unknown names raise <see cref="RegistryNotFoundException"/> with a message that lists
/// what does exist.
/// </summary>
public sealed class SlmVersionResolver(SlmOpsDbContext db)
{
    /// <summary>The alias used when a reference names neither alias nor version (<c>task</c> alone).</summary>
    public const string DefaultAlias = "production";

    /// <summary>Resolves <paramref name="version"/> when given, else <paramref name="alias"/>, else <see cref="DefaultAlias"/>.</summary>
    public async Task<ResolvedSlm> ResolveAsync(string task, string? alias, int? version, CancellationToken ct)
    {
        if (alias is not null && version is not null)
        {
            throw new RegistryBadRequestException($"Name either an alias or a version of task '{task}', not both (got alias '{alias}' and version {version}).");
        }
        var taskModel = await db.TaskModels.AsNoTracking().Where(t => t.Name == task).Select(t => new { t.Id })
            .SingleOrDefaultAsync(ct) ?? throw TaskNotFound(task);

        var versions = db.SlmVersions.AsNoTracking()
            .Include(v => v.BaseModelVersion).ThenInclude(b => b.BaseModel)
            .Where(v => v.TaskModelId == taskModel.Id);
        if (version is { } number)
        {
            var byNumber = await versions.SingleOrDefaultAsync(v => v.Version == number, ct);
            return byNumber is not null
                ? new ResolvedSlm(task, null, byNumber)
                : throw await VersionNotFoundAsync(task, taskModel.Id, number, ct);
        }

        var name = alias ?? DefaultAlias;
        var slmVersionId = await db.Aliases.AsNoTracking()
            .Where(a => a.TaskModelId == taskModel.Id && a.Name == name)
            .Select(a => (long?)a.SlmVersionId).SingleOrDefaultAsync(ct);
        if (slmVersionId is null)
        {
            throw await AliasNotFoundAsync(task, taskModel.Id, name, ct);
        }
        return new ResolvedSlm(task, name, await versions.SingleAsync(v => v.Id == slmVersionId, ct));
    }

    /// <summary>Resolves a reference written <c>task</c>, <c>task@alias</c> or <c>task@version</c>.</summary>
    public Task<ResolvedSlm> ResolveAsync(string reference, CancellationToken ct)
    {
        var at = reference.IndexOf('@');
        if (at < 0) return ResolveAsync(reference, null, null, ct);
        var (task, target) = (reference[..at], reference[(at + 1)..]);
        if (task.Length == 0 || target.Length == 0)
        {
            throw new RegistryBadRequestException($"'{reference}' is not a model reference; write task@alias (task@production) or task@version (task@3).");
        }
        return int.TryParse(target, out var version)
            ? ResolveAsync(task, null, version, ct)
            : ResolveAsync(task, target, null, ct);
    }

    public static RegistryNotFoundException TaskNotFound(string task) => new(
        "Task model not found", $"No task model is named '{task}'. GET /api/v1/task-models lists the task models.");

    public async Task<RegistryNotFoundException> VersionNotFoundAsync(string task, long taskModelId, int version, CancellationToken ct)
    {
        var newest = await db.SlmVersions.Where(v => v.TaskModelId == taskModelId).MaxAsync(v => (int?)v.Version, ct);
        var known = newest is null ? "it has no versions yet" : $"its versions are 1 to {newest}";
        return new RegistryNotFoundException("SLM version not found",
            $"Task model '{task}' has no version {version}; {known}. GET /api/v1/task-models/{task}/versions lists them.");
    }

    public async Task<RegistryNotFoundException> AliasNotFoundAsync(string task, long taskModelId, string alias, CancellationToken ct)
    {
        var aliases = (await db.Aliases.Where(a => a.TaskModelId == taskModelId).OrderBy(a => a.Name)
            .Select(a => new { a.Name, a.SlmVersion.Version }).ToListAsync(ct))
            .Select(a => $"{a.Name} (v{a.Version})").ToList();
        var known = aliases.Count == 0
            ? "it has no aliases yet; set one with PUT /api/v1/task-models/" + task + "/aliases/" + alias
            : "its aliases are " + string.Join(", ", aliases);
        return new RegistryNotFoundException("Alias not found",
            $"Task model '{task}' has no alias '{alias}'; {known}. GET /api/v1/task-models/{task}/aliases lists them.");
    }
}
