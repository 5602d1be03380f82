using Npgsql;
using SlmOps.Data.Artifacts;

namespace SlmOps.Web.Artifacts;

/// <summary>
/// Rows of the artifacts table, written with plain SQL by every upload path (datasets, the artifact service). A
/// per-file advisory lock orders them against deletes: whoever records a row and whoever removes a file takes it.
/// </summary>
public static class ArtifactRows
{
    /// <summary>The advisory-lock key of one file: the first 60 bits of its hash.</summary>
    public static long LockKey(string sha256) => Convert.ToInt64(sha256[..15], 16);

    /// <summary>
    /// In the caller's transaction: takes the file's lock until commit, checks the file is still stored (a concurrent
    /// delete either finished, and this throws <see cref="ArtifactVanishedException"/>, or waits and keeps the file),
    /// and records the row unless one exists.
    /// </summary>
    public static async Task RecordAsync(
        NpgsqlConnection connection, IArtifactStore store, StoredArtifact artifact, string mediaType, CancellationToken cancellation)
    {
        await using (var lockFile = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection))
        {
            lockFile.Parameters.Add(new NpgsqlParameter { Value = LockKey(artifact.Sha256) });
            await lockFile.ExecuteNonQueryAsync(cancellation);
        }
        if (!store.Exists(artifact.Sha256)) throw new ArtifactVanishedException();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES ($1, $2, $3, $4)
            ON CONFLICT (sha256) DO NOTHING
            """, connection);
        foreach (var value in new object[] { artifact.Sha256, artifact.SizeBytes, mediaType, artifact.RelativePath })
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await insert.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>As <see cref="RecordAsync(NpgsqlConnection, IArtifactStore, StoredArtifact, string, CancellationToken)"/>, in a transaction of its own.</summary>
    public static async Task RecordAsync(
        NpgsqlDataSource database, IArtifactStore store, StoredArtifact artifact, string mediaType, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await RecordAsync(connection, store, artifact, mediaType, cancellation);
        await transaction.CommitAsync(cancellation);
    }
}
