using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Lineage;

/// <summary>
/// Which lineage nodes a caller may see, by <see cref="TeamAccess"/>'s rules: dataset versions and SLM versions of the
/// datasets and task models its team sees, its team's runs; base model versions (every team's) and artifacts (content
/// addressed, no owner) always. A node whose row is gone shows only its id, so it stays.
/// </summary>
public sealed class LineageVisibility(SlmOpsDbContext db, TeamAccess access)
{
    /// <summary>The nodes of <paramref name="nodes"/> the caller may not see.</summary>
    public async Task<HashSet<(LineageNodeKind Kind, string Id)>> HiddenAsync(
        TeamCaller caller, IReadOnlyCollection<(LineageNodeKind Kind, string Id)> nodes, CancellationToken ct)
    {
        var hidden = new HashSet<(LineageNodeKind, string)>();
        if (caller.SeesEveryTeam) return hidden;

        var datasetVersions = Numbers(nodes, LineageNodeKind.DatasetVersion);
        var datasets = access.Datasets(caller);
        var hiddenVersions = await db.DatasetVersions.AsNoTracking()
            .Where(v => datasetVersions.Contains(v.Id) && !datasets.Any(d => d.Id == v.DatasetId)).Select(v => v.Id).ToListAsync(ct);
        hidden.UnionWith(hiddenVersions.Select(id => (LineageNodeKind.DatasetVersion, Key(id))));

        var slmVersions = Numbers(nodes, LineageNodeKind.SlmVersion);
        var tasks = access.TaskModels(caller);
        var hiddenSlms = await db.SlmVersions.AsNoTracking()
            .Where(v => slmVersions.Contains(v.Id) && !tasks.Any(t => t.Id == v.TaskModelId)).Select(v => v.Id).ToListAsync(ct);
        hidden.UnionWith(hiddenSlms.Select(id => (LineageNodeKind.SlmVersion, Key(id))));

        var runs = nodes.Where(n => n.Kind == LineageNodeKind.Run).Select(n => Guid.TryParse(n.Id, out var g) ? g : Guid.Empty)
            .Where(g => g != Guid.Empty).ToList();
        var visibleRuns = access.Runs(caller);
        var hiddenRuns = await db.Runs.AsNoTracking()
            .Where(r => runs.Contains(r.Id) && !visibleRuns.Any(v => v.Id == r.Id)).Select(r => r.Id).ToListAsync(ct);
        hidden.UnionWith(hiddenRuns.Select(id => (LineageNodeKind.Run, id.ToString())));
        return hidden;
    }

    private static List<long> Numbers(IReadOnlyCollection<(LineageNodeKind Kind, string Id)> nodes, LineageNodeKind kind) =>
        nodes.Where(n => n.Kind == kind).Select(n => long.TryParse(n.Id, CultureInfo.InvariantCulture, out var id) ? id : -1).Where(id => id > 0).ToList();

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);
}
