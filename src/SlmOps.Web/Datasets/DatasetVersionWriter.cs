using Npgsql;
using SlmOps.Data.Artifacts;
using SlmOps.Web.Artifacts;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Datasets;

/// <summary>
/// Writes and removes dataset versions with plain SQL, in transactions whose row locks number versions without
/// gaps or collisions when uploads to one dataset race.
/// </summary>
public sealed class DatasetVersionWriter(NpgsqlDataSource database, IArtifactStore store, ILogger<DatasetVersionWriter> logger)
{
    private const int Attempts = 5;

    /// <summary>
    /// Records the artifact (if new), the dataset (if new, in the caller's team) and the next version; returns that version's
    /// id. A dataset of that name in another team refuses it (<see cref="TeamAccess"/>'s rule, checked on the locked row):
    /// <see cref="TeamAccessDeniedException"/> when the caller sees it (shared), <see cref="DatasetNameTakenException"/> when not.
    /// </summary>
    public async Task<long> AddVersionAsync(DatasetUpload upload, TeamCaller caller, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAddVersionAsync(upload, caller, cancellation);
            }
            catch (PostgresException unique) when (unique.SqlState == PostgresErrorCodes.UniqueViolation && attempt < Attempts)
            {
                logger.LogInformation("Dataset {Name}: version number taken by a concurrent upload, retrying", upload.Name);
            }
        }
    }

    private async Task<long> TryAddVersionAsync(DatasetUpload upload, TeamCaller caller, CancellationToken cancellation)
    {
        var createdBy = caller.Name;
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await ArtifactRows.RecordAsync(connection, store, upload.Artifact, DatasetFormats.MediaType(upload.Format), cancellation);
        // DO UPDATE (not NOTHING) so the dataset row is locked and returned: concurrent uploads queue here. Another
        // team's dataset is left alone and returns no row (admins write in every team).
        var datasetId = await ScalarAsync(connection, """
            INSERT INTO datasets (name, description, created_by, team) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO UPDATE SET description = COALESCE(EXCLUDED.description, datasets.description)
                WHERE datasets.team = EXCLUDED.team OR $5
            RETURNING id
            """, cancellation, upload.Name, (object?)upload.Description ?? DBNull.Value, createdBy,
            (object?)caller.Team ?? DBNull.Value, caller.IsAdmin) as long?;
        if (datasetId is null) throw await RefusalAsync(connection, upload.Name, caller, cancellation);
        var id = (long)(await ScalarAsync(connection, """
            INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, source_file_name, row_count, created_by)
            SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM dataset_versions WHERE dataset_id = $1
            RETURNING id
            """, cancellation, datasetId, upload.Artifact.Sha256, upload.Artifact.SizeBytes, DatasetFormats.Name(upload.Format),
            (object?)upload.SourceFileName ?? DBNull.Value, upload.RowCount, createdBy))!;
        await transaction.CommitAsync(cancellation);
        return id;
    }

    /// <summary>Why the caller may not add a version to another team's dataset: 403 when it is shared with the caller, else the name is just taken.</summary>
    private static async Task<Exception> RefusalAsync(NpgsqlConnection connection, string name, TeamCaller caller, CancellationToken cancellation)
    {
        await using var command = Command(connection, """
            SELECT d.team, EXISTS (SELECT 1 FROM dataset_shares s WHERE s.dataset_id = d.id AND s.team = $2) FROM datasets d WHERE d.name = $1
            """, [name, (object?)caller.Team ?? DBNull.Value]);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var decision = TeamAccess.Decide(caller, TeamRight.Write, TeamAccess.DatasetKind, name, reader.GetString(0), reader.GetBoolean(1));
        return decision.Outcome == AccessOutcome.Forbidden ? new TeamAccessDeniedException(decision) : new DatasetNameTakenException(name);
    }

    /// <summary>Deletes a version unless a lineage edge, a run's config or an SLM version refers to it; false when referenced.</summary>
    public async Task<bool> DeleteVersionAsync(long versionId, string sha256, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        return await WithArtifactLockAsync(connection, sha256, () => DeleteVersionLockedAsync(connection, versionId, sha256, cancellation), cancellation);
    }

    private async Task<bool> DeleteVersionLockedAsync(NpgsqlConnection connection, long versionId, string sha256, CancellationToken cancellation)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        var deleted = await ExecuteAsync(connection, """
            DELETE FROM dataset_versions v WHERE v.id = $1
              AND NOT EXISTS (SELECT 1 FROM lineage_edges e
                              WHERE (e.from_kind = 'dataset_version' AND e.from_id = $2)
                                 OR (e.to_kind = 'dataset_version' AND e.to_id = $2))
              AND NOT EXISTS (SELECT 1 FROM slm_versions s WHERE s.dataset_version_id = v.id)
              -- A submitted run names its dataset version in its config before any worker writes an edge.
              AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.config ->> 'datasetVersionId' = $2)
            """, cancellation, versionId, versionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (deleted == 0) return false;
        var artifactGone = await DeleteArtifactRowIfUnreferencedAsync(connection, sha256, cancellation);
        await transaction.CommitAsync(cancellation);
        if (artifactGone) store.Delete(sha256);
        return true;
    }

    /// <summary>Removes a stored file that a refused upload left behind, unless a row already refers to it.</summary>
    public async Task DiscardIfUnreferencedAsync(string sha256, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await WithArtifactLockAsync(connection, sha256, async () =>
        {
            var known = await ScalarAsync(connection, "SELECT 1 FROM artifacts WHERE sha256 = $1", cancellation, sha256);
            return known is null && store.Delete(sha256);
        }, cancellation);
    }

    // A session lock per file, held across commit and file removal, so no upload records a file being removed.
    private static async Task<T> WithArtifactLockAsync<T>(NpgsqlConnection connection, string sha256, Func<Task<T>> action, CancellationToken cancellation)
    {
        await ScalarAsync(connection, "SELECT pg_advisory_lock($1)", cancellation, ArtifactRows.LockKey(sha256));
        try
        {
            return await action();
        }
        finally
        {
            await ScalarAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, ArtifactRows.LockKey(sha256));
        }
    }

    // Every table that stores a hash refers to artifacts with ON DELETE RESTRICT (or SET NULL for checkpoints, which
    // the NOT EXISTS covers), so the foreign keys themselves say whether the row is still needed.
    private static async Task<bool> DeleteArtifactRowIfUnreferencedAsync(NpgsqlConnection connection, string sha256, CancellationToken cancellation)
    {
        await ExecuteAsync(connection, "SAVEPOINT artifact_delete", cancellation);
        try
        {
            var rows = await ExecuteAsync(connection, """
                DELETE FROM artifacts a WHERE a.sha256 = $1
                  AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.checkpoint_sha256 = a.sha256)
                  AND NOT EXISTS (SELECT 1 FROM lineage_edges e
                                  WHERE (e.from_kind = 'artifact' AND e.from_id = a.sha256)
                                     OR (e.to_kind = 'artifact' AND e.to_id = a.sha256))
                """, cancellation, sha256);
            await ExecuteAsync(connection, "RELEASE SAVEPOINT artifact_delete", cancellation);
            return rows == 1;
        }
        catch (PostgresException restricted) when (restricted.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT artifact_delete", cancellation);
            return false;
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellation, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync(cancellation);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellation, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteScalarAsync(cancellation);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
