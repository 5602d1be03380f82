using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Components.Pages.Runs;

/// <summary>A lineage edge touching a run, seen from the run: what it used (inputs) and what it produced (outputs).</summary>
public sealed record RunLineageLink(bool IsInput, LineageNodeKind Kind, string Id, string Relation)
{
    /// <summary>Where the dashboard shows the other end, when it has a page for it.</summary>
    public string? Href => Kind switch
    {
        LineageNodeKind.Run => $"runs/{Id}",
        LineageNodeKind.DatasetVersion => "datasets",
        LineageNodeKind.SlmVersion or LineageNodeKind.BaseModelVersion => "registry",
        _ => null,
    };

    public static async Task<IReadOnlyList<RunLineageLink>> ForRunAsync(SlmOpsDbContext db, Guid runId, CancellationToken ct = default)
    {
        var id = runId.ToString();
        var edges = await db.LineageEdges.AsNoTracking()
            .Where(e => (e.ToKind == LineageNodeKind.Run && e.ToId == id) || (e.FromKind == LineageNodeKind.Run && e.FromId == id))
            .OrderBy(e => e.Id).ToListAsync(ct);
        return edges.Select(e => e.ToKind == LineageNodeKind.Run && e.ToId == id
                ? new RunLineageLink(true, e.FromKind, e.FromId, e.Relation)
                : new RunLineageLink(false, e.ToKind, e.ToId, e.Relation))
            .ToList();
    }
}
