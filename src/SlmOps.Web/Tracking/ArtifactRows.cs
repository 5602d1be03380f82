using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Artifacts;

namespace SlmOps.Web.Tracking;

/// <summary>
/// Registry rows refer to the artifacts table by foreign key. Before a worker's outcome is registered every blob it
/// names must be in the store (the worker uploaded it); this records the rows of those that have none yet.
/// </summary>
public static class ArtifactRows
{
    public static async Task EnsureAsync(SlmOpsDbContext db, IArtifactStore store, IEnumerable<string> sha256s, CancellationToken ct)
    {
        foreach (var sha in sha256s.Distinct())
        {
            if (!store.Exists(sha))
                throw new RunInputException($"Artifact {sha} is not in the artifact store; the worker must upload it (PUT /api/v1/artifacts/{sha}) before reporting the outcome.");
            var size = new FileInfo(store.PathOf(sha)).Length;
            var relative = Path.GetRelativePath(store is FileArtifactStore files ? files.Root : Path.GetDirectoryName(store.PathOf(sha))!, store.PathOf(sha));
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES ({sha}, {size}, 'application/octet-stream', {relative})
                ON CONFLICT (sha256) DO NOTHING
                """, ct);
        }
    }
}
