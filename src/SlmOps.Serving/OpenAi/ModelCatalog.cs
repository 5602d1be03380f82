using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Serving.OpenAi;

/// <summary>What an OpenAI <c>model</c> names: a task model's SLM version (composed with its LLM), or a base model alone.</summary>
public abstract record ServedModel(string Id);

public sealed record TaskModelTarget(string Id, ResolvedSlm Resolved) : ServedModel(Id);

public sealed record BaseModelTarget(string Id, BaseModelVersion Version) : ServedModel(Id);

/// <summary>
/// Resolves and lists the names the OpenAI surface serves. <c>task@alias</c>, <c>task@version</c> and <c>task</c> (its
/// production alias) name task models, resolved through the registry on every request like /api/v1/generate;
/// <c>name@version</c> and <c>name</c> (its newest version) name base models, served alone. Task models are looked up
/// first, so a task model and a base model with the same name resolve to the task model.
/// </summary>
public sealed class ModelCatalog(SlmOpsDbContext db, SlmVersionResolver resolver, TeamAccess teams)
{
    /// <summary>What <paramref name="model"/> names, among what <paramref name="caller"/> may see (a task model of another
    /// team that was not shared with the caller's reads as unknown); base models are everyone's.</summary>
    public async Task<ServedModel> ResolveAsync(TeamCaller caller, string model, CancellationToken ct)
    {
        var name = model.Trim();
        var at = name.IndexOf('@');
        var head = at < 0 ? name : name[..at];
        if (await teams.TaskModelAsync(caller, TeamRight.Read, head, ct) is { } access)
        {
            return access.Allowed
                ? new TaskModelTarget(name, await resolver.ResolveAsync(name, ct))
                : throw new RegistryNotFoundException("Model not found", $"No task model or base model is named '{model}'; GET /v1/models lists what this server can serve.");
        }
        var versions = db.BaseModelVersions.AsNoTracking().Include(v => v.BaseModel).Where(v => v.BaseModel.Name == head);
        BaseModelVersion? version = at < 0
            ? await versions.OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct)
            : int.TryParse(name[(at + 1)..], out var number) ? await versions.SingleOrDefaultAsync(v => v.Version == number, ct) : null;
        return version is not null
            ? new BaseModelTarget(name, version)
            : throw new RegistryNotFoundException("Model not found",
                $"No task model or base model is named '{model}'; GET /v1/models lists what this server can serve.");
    }

    /// <summary>Every servable name the caller may see: each alias of each task model that points at a servable version (a
    /// follower, or LoRA/adapter/plug-in modules), and each base model version.</summary>
    public async Task<IReadOnlyList<ModelCard>> ListAsync(TeamCaller caller, CancellationToken ct)
    {
        var visible = teams.TaskModels(caller).Select(t => t.Id);
        var aliases = await db.Aliases.AsNoTracking().Where(a => visible.Contains(a.TaskModelId))
            .Select(a => new { Task = a.TaskModel.Name, a.Name, a.SlmVersion.Architecture, a.UpdatedAt })
            .ToListAsync(ct);
        var bases = await db.BaseModelVersions.AsNoTracking()
            .Select(v => new { v.BaseModel.Name, v.Version, v.CreatedAt })
            .ToListAsync(ct);
        return aliases.Where(a => SlmServer.IsServable(a.Architecture))
            .Select(a => new ModelCard($"{a.Task}@{a.Name}", "model", a.UpdatedAt.ToUnixTimeSeconds(), "slmops"))
            .Concat(bases.Select(b => new ModelCard($"{b.Name}@{b.Version}", "model", b.CreatedAt.ToUnixTimeSeconds(), "slmops")))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
    }
}
