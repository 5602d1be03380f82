using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Components.Pages.NewRun;

/// <summary>One option of a picker: the id the spec takes and what a person reads.</summary>
public sealed record NewRunChoice(long Id, string Label);

/// <summary>What the new-run form can point at: dataset versions, base model versions and SLM versions.</summary>
public sealed record NewRunChoices(
    IReadOnlyList<NewRunChoice> DatasetVersions, IReadOnlyList<NewRunChoice> PreparedDatasetVersions,
    IReadOnlyList<NewRunChoice> BaseModelVersions, IReadOnlyList<NewRunChoice> SlmVersions)
{
    /// <summary>The versions <paramref name="caller"/> may pick: of the datasets and task models its team sees, and every base model.</summary>
    public static async Task<NewRunChoices> LoadAsync(SlmOpsDbContext db, TeamAccess access, TeamCaller caller, CancellationToken ct = default)
    {
        var visibleDatasets = access.Datasets(caller);
        var visibleTasks = access.TaskModels(caller);
        var datasets = await db.DatasetVersions.AsNoTracking().Where(v => visibleDatasets.Any(d => d.Id == v.DatasetId)).OrderByDescending(v => v.Id)
            .Select(v => new { v.Id, v.Dataset.Name, v.Version, Prepared = v.PreparedArtifactSha256 != null }).ToListAsync(ct);
        var bases = await db.BaseModelVersions.AsNoTracking().OrderByDescending(v => v.Id)
            .Select(v => new NewRunChoice(v.Id, v.BaseModel.Name + " v" + v.Version)).ToListAsync(ct);
        var slms = await db.SlmVersions.AsNoTracking().Where(v => visibleTasks.Any(t => t.Id == v.TaskModelId)).OrderByDescending(v => v.Id)
            .Select(v => new NewRunChoice(v.Id, v.TaskModel.Name + " v" + v.Version)).ToListAsync(ct);
        return new NewRunChoices(
            datasets.Select(d => new NewRunChoice(d.Id, $"{d.Name} v{d.Version}" + (d.Prepared ? " (prepared)" : ""))).ToList(),
            datasets.Where(d => d.Prepared).Select(d => new NewRunChoice(d.Id, $"{d.Name} v{d.Version}")).ToList(),
            bases, slms);
    }
}
