using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Data.Model;

namespace SlmOps.Web.Tracking.Registration;

/// <summary>Lineage edges (unique by endpoints and relation): writing one twice is a no-op.</summary>
public static class LineageWriter
{
    public static Task AddAsync(SlmOpsDbContext db, LineageNodeKind fromKindValue, object fromId, LineageNodeKind toKindValue, object toId, string relation, CancellationToken ct)
    {
        var (fromKind, toKind) = (EnumText<LineageNodeKind>.ToText(fromKindValue), EnumText<LineageNodeKind>.ToText(toKindValue));
        var (from, to) = (Convert.ToString(fromId, System.Globalization.CultureInfo.InvariantCulture)!, Convert.ToString(toId, System.Globalization.CultureInfo.InvariantCulture)!);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO lineage_edges (from_kind, from_id, to_kind, to_id, relation) VALUES ({fromKind}, {from}, {toKind}, {to}, {relation})
            ON CONFLICT (from_kind, from_id, to_kind, to_id, relation) DO NOTHING
            """, ct);
    }
}
