using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Lineage;

/// <summary>Human-readable labels for lineage nodes ("shakespeare v3", "run 1a2b3c4d"), one query per kind.</summary>
public sealed class LineageLabels(SlmOpsDbContext db)
{
    /// <summary>Labels of the nodes that exist; a node missing from the answer has no row behind it.</summary>
    public async Task<Dictionary<(LineageNodeKind Kind, string Id), string>> FindAsync(
        IReadOnlyCollection<(LineageNodeKind Kind, string Id)> nodes, CancellationToken cancellation)
    {
        var labels = new Dictionary<(LineageNodeKind, string), string>();
        List<string> Ids(LineageNodeKind kind) => nodes.Where(n => n.Kind == kind).Select(n => n.Id).ToList();
        List<long> Numbers(LineageNodeKind kind) =>
            Ids(kind).Select(id => long.TryParse(id, CultureInfo.InvariantCulture, out var n) ? n : -1).Where(n => n > 0).ToList();

        var datasetVersions = Numbers(LineageNodeKind.DatasetVersion);
        foreach (var v in await db.DatasetVersions.AsNoTracking().Where(v => datasetVersions.Contains(v.Id))
                     .Select(v => new { v.Id, v.Dataset.Name, v.Version }).ToListAsync(cancellation))
        {
            labels[(LineageNodeKind.DatasetVersion, Key(v.Id))] = $"{v.Name} v{v.Version}";
        }

        var runs = Ids(LineageNodeKind.Run).Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
        foreach (var r in await db.Runs.AsNoTracking().Where(r => runs.Contains(r.Id))
                     .Select(r => new { r.Id, r.Name, r.Kind }).ToListAsync(cancellation))
        {
            labels[(LineageNodeKind.Run, r.Id.ToString())] = r.Name ?? $"{r.Kind} run {r.Id.ToString()[..8]}";
        }

        var baseVersions = Numbers(LineageNodeKind.BaseModelVersion);
        foreach (var v in await db.BaseModelVersions.AsNoTracking().Where(v => baseVersions.Contains(v.Id))
                     .Select(v => new { v.Id, v.BaseModel.Name, v.Version }).ToListAsync(cancellation))
        {
            labels[(LineageNodeKind.BaseModelVersion, Key(v.Id))] = $"{v.Name} v{v.Version}";
        }

        var slmVersions = Numbers(LineageNodeKind.SlmVersion);
        foreach (var v in await db.SlmVersions.AsNoTracking().Where(v => slmVersions.Contains(v.Id))
                     .Select(v => new { v.Id, v.TaskModel.Name, v.Version }).ToListAsync(cancellation))
        {
            labels[(LineageNodeKind.SlmVersion, Key(v.Id))] = $"{v.Name} v{v.Version}";
        }

        var artifacts = Ids(LineageNodeKind.Artifact);
        foreach (var a in await db.Artifacts.AsNoTracking().Where(a => artifacts.Contains(a.Sha256))
                     .Select(a => new { a.Sha256, a.MediaType }).ToListAsync(cancellation))
        {
            labels[(LineageNodeKind.Artifact, a.Sha256)] = $"{a.Sha256[..12]} ({a.MediaType})";
        }
        return labels;
    }

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);
}
