using Microsoft.EntityFrameworkCore;
using Npgsql;
using SlmOps.Data;
using SlmOps.Data.Artifacts;
using SlmOps.Web.Artifacts;

namespace SlmOps.Web.Tracking;

/// <summary>
/// Registry rows refer to the artifacts table by foreign key. Before a worker's outcome or checkpoint is recorded,
/// every blob it names must be in the store (the worker uploaded it first); this checks that and records the rows
/// of those that have none yet, on the caller's connection (inside its transaction when it has one).
/// </summary>
public static class StoredBlobs
{
    public static async Task EnsureAsync(SlmOpsDbContext db, IArtifactStore store, IEnumerable<string> sha256s, CancellationToken ct)
    {
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        foreach (var sha in sha256s.Distinct())
        {
            if (!store.Exists(sha))
                throw new RunInputException($"Artifact {sha} is not in the artifact store; the worker must upload it (PUT /api/v1/artifacts/{sha}) before reporting it.");
            var path = store.PathOf(sha);
            var relative = store is FileArtifactStore files ? Path.GetRelativePath(files.Root, path) : path;
            await ArtifactRows.RecordAsync(connection, store, new StoredArtifact(sha, new FileInfo(path).Length, relative, Created: false), "application/octet-stream", ct);
        }
        if (ownTransaction is not null)
        {
            await ownTransaction.CommitAsync(ct);
            await ownTransaction.DisposeAsync();
        }
    }
}
