using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Lineage;

/// <summary>
/// Walks lineage_edges outward from one node, level by level, in both directions, through the nodes the caller may see
/// (<see cref="LineageVisibility"/>): another team's runs, datasets and task versions are neither shown nor walked through.
/// </summary>
public sealed class LineageGraphReader(SlmOpsDbContext db, LineageLabels labels, LineageVisibility visibility)
{
    public const int MaxDepth = 6;

    /// <summary>The graph around the node, or null when the node has no edges and no row behind it, or the caller may not see it.</summary>
    public async Task<LineageGraphDto?> ReadAsync(TeamCaller caller, LineageNodeKind kind, string id, int depth, CancellationToken cancellation)
    {
        var root = (Kind: kind, Id: id);
        if ((await visibility.HiddenAsync(caller, [root], cancellation)).Count > 0) return null;
        var seen = new List<(LineageNodeKind Kind, string Id)> { root };
        var seenSet = new HashSet<(LineageNodeKind, string)> { root };
        var edges = new Dictionary<long, LineageEdge>();
        var frontier = new HashSet<(LineageNodeKind Kind, string Id)> { root };
        for (var level = 0; level < depth && frontier.Count > 0; level++)
        {
            // Ids are unique enough to filter in SQL; the kind is matched here.
            var ids = frontier.Select(n => n.Id).Distinct().ToList();
            var candidates = await db.LineageEdges.AsNoTracking()
                .Where(e => ids.Contains(e.FromId) || ids.Contains(e.ToId)).ToListAsync(cancellation);
            var next = new HashSet<(LineageNodeKind Kind, string Id)>();
            var hidden = await visibility.HiddenAsync(caller,
                candidates.SelectMany(e => new[] { (e.FromKind, e.FromId), (e.ToKind, e.ToId) }).Distinct().ToList(), cancellation);
            foreach (var edge in candidates.OrderBy(e => e.Id))
            {
                var from = (edge.FromKind, edge.FromId);
                var to = (edge.ToKind, edge.ToId);
                if (!frontier.Contains(from) && !frontier.Contains(to)) continue;
                if (hidden.Contains(from) || hidden.Contains(to)) continue;
                edges.TryAdd(edge.Id, edge);
                foreach (var node in new[] { from, to })
                {
                    if (seenSet.Add(node))
                    {
                        seen.Add(node);
                        next.Add(node);
                    }
                }
            }
            frontier = next;
        }

        var found = await labels.FindAsync(seen, cancellation);
        if (edges.Count == 0 && !found.ContainsKey(root)) return null;
        LineageNodeDto Node((LineageNodeKind Kind, string Id) n) => new(
            LineageKinds.Name(n.Kind), n.Id, found.TryGetValue(n, out var label) ? label : $"{LineageKinds.Name(n.Kind)} {n.Id} (no longer exists)");
        return new LineageGraphDto(
            Node(root), depth, seen.Select(Node).ToList(),
            edges.Values.Select(e => new LineageEdgeDto(
                LineageKinds.Name(e.FromKind), e.FromId, LineageKinds.Name(e.ToKind), e.ToId, e.Relation)).ToList());
    }
}
