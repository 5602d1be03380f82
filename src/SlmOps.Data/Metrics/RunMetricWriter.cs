using Npgsql;
using NpgsqlTypes;

namespace SlmOps.Data.Metrics;

/// <summary>
/// Appends metric points: a binary COPY into a session-local staging table, then one
/// <c>INSERT ... SELECT ... ON CONFLICT (run_id, key, step) DO NOTHING</c> into run_metrics. A point already stored
/// (a resumed run replaying steps, a re-delivered message, a retried batch) is skipped, never duplicated or
/// overwritten, and so is the second copy of a point sent twice in one batch. COPY because the point rows travel
/// in PostgreSQL's binary row format, parsed once, instead of as five arrays unpacked by <c>unnest</c>.
/// </summary>
/// <remarks>
/// The staging table is a temporary table (<c>ON COMMIT DELETE ROWS</c>) and is only written inside a transaction,
/// so whatever ends that transaction, commit or rollback after a failed batch, empties it: the next user of a
/// pooled connection never sees another batch's rows. When the caller's connection is already in a transaction
/// the write joins it (no savepoint, no second transaction) and empties the staging table itself.
/// </remarks>
public sealed class RunMetricWriter(NpgsqlDataSource dataSource)
{
    /// <summary>Points per COPY and INSERT; bounds the staging table (temp_buffers) and one statement's memory.</summary>
    public const int BatchSize = 50_000;

    private const string StagingTable = "run_metrics_staging";

    // "batch" says which of the batches written together a row came from, to count each one's new points.
    private const string CreateStagingSql = $"""
        CREATE TEMP TABLE IF NOT EXISTS {StagingTable} (
            batch int NOT NULL, run_id uuid NOT NULL, key text NOT NULL, step bigint NOT NULL,
            value double precision NOT NULL, recorded_at timestamptz NOT NULL
        ) ON COMMIT DELETE ROWS
        """;

    private const string CopySql = $"COPY {StagingTable} (batch, run_id, key, step, value, recorded_at) FROM STDIN (FORMAT BINARY)";

    private const string InsertSql = $"""
        INSERT INTO run_metrics (run_id, key, step, value, recorded_at)
        SELECT run_id, key, step, value, recorded_at FROM {StagingTable}
        ON CONFLICT (run_id, key, step) DO NOTHING
        """;

    // The seq scan inserts the staged rows in COPY order, so of two batches sending the same new point the earlier
    // one stores it and is credited with it: the counts are those of writing the batches one after another.
    private const string InsertCountingEachSql = $"""
        WITH inserted AS (
            INSERT INTO run_metrics (run_id, key, step, value, recorded_at)
            SELECT run_id, key, step, value, recorded_at FROM {StagingTable}
            ON CONFLICT (run_id, key, step) DO NOTHING
            RETURNING run_id, key, step)
        SELECT first_batch, count(*)::int FROM (
            SELECT min(s.batch) AS first_batch
            FROM inserted i JOIN {StagingTable} s USING (run_id, key, step)
            GROUP BY i.run_id, i.key, i.step) firsts
        GROUP BY first_batch
        """;

    // The common case: a training run appends steps past everything stored for its keys, with no point twice. Then the
    // points are copied straight into run_metrics: no staging table, no speculative insertion. One index descent per
    // (run, key) finds the stored maximum; a resumed run replaying steps, or a batch sent twice, takes the staging path.
    private const string StoredMaxSql = """
        SELECT k.run_id, k.key, (SELECT max(m.step) FROM run_metrics m WHERE m.run_id = k.run_id AND m.key = k.key)
        FROM unnest($1::uuid[], $2::text[]) AS k(run_id, key)
        """;

    private const string CopyDirectSql = "COPY run_metrics (run_id, key, step, value, recorded_at) FROM STDIN (FORMAT BINARY)";

    /// <summary>Writes the points; returns how many were new (the rest were already stored).</summary>
    public async Task<int> AppendAsync(IReadOnlyCollection<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        return (await AppendEachAsync([points], cancellationToken))[0];
    }

    /// <summary>
    /// Writes several callers' batches in one transaction (one COPY and one INSERT per <see cref="BatchSize"/>
    /// points) and returns, per batch, how many of its points were new. A point in two batches counts for the
    /// first. Fails as a whole: nothing is written if any batch cannot be.
    /// </summary>
    public async Task<int[]> AppendEachAsync(IReadOnlyList<IReadOnlyCollection<MetricPoint>> batches, CancellationToken cancellationToken)
    {
        if (batches.All(b => b.Count == 0))
        {
            return new int[batches.Count];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await AppendEachAsync(connection, batches, cancellationToken);
    }

    /// <summary>Writes the points on a connection the caller owns (e.g. inside its own transaction).</summary>
    public static async Task<int> AppendAsync(
        NpgsqlConnection connection, IReadOnlyCollection<MetricPoint> points, CancellationToken cancellationToken) =>
        points.Count == 0 ? 0 : (await AppendEachAsync(connection, [points], cancellationToken))[0];

    /// <summary>
    /// <see cref="AppendEachAsync(IReadOnlyList{IReadOnlyCollection{MetricPoint}}, CancellationToken)"/> on a
    /// connection the caller owns: in the caller's transaction if it has one, else in one of its own.
    /// </summary>
    public static async Task<int[]> AppendEachAsync(
        NpgsqlConnection connection, IReadOnlyList<IReadOnlyCollection<MetricPoint>> batches, CancellationToken cancellationToken)
    {
        var counts = new int[batches.Count];
        if (batches.All(b => b.Count == 0))
        {
            return counts;
        }

        await using var ownTransaction = await TryBeginAsync(connection, cancellationToken);
        try
        {
            await ExecuteAsync(connection, CreateStagingSql, cancellationToken);
            foreach (var chunk in Chunks(batches))
            {
                await EnsureRunsExistAsync(connection, chunk, cancellationToken);
                if (await TryCopyAllNewAsync(connection, chunk, counts, cancellationToken)) continue;
                await CopyAsync(connection, CopySql, chunk, withBatch: true, cancellationToken);
                await InsertAsync(connection, chunk, counts, cancellationToken);
                if (ownTransaction is null)
                {
                    // The caller's transaction goes on: the next chunk or call must not see these rows again.
                    await ExecuteAsync(connection, $"TRUNCATE {StagingTable}", cancellationToken);
                }
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return counts;
        }
        catch (UnknownRunException)
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.RollbackAsync(CancellationToken.None);
            }

            throw;
        }
    }

    /// <summary>
    /// The runs the batch names must exist: one query per chunk instead of a foreign-key lookup per point. It takes
    /// the KEY SHARE lock a foreign key would, so a run cannot be deleted until these points are committed (and
    /// then the delete trigger removes them with it).
    /// </summary>
    private static async Task EnsureRunsExistAsync(NpgsqlConnection connection, (int Batch, MetricPoint Point)[] rows, CancellationToken cancellationToken)
    {
        var named = rows.Select(r => r.Point.RunId).Distinct().ToArray();
        await using var command = new NpgsqlCommand("SELECT id FROM runs WHERE id = ANY($1) FOR KEY SHARE", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = named });
        var existing = new HashSet<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) existing.Add(reader.GetGuid(0));
        }

        var missing = named.Where(id => !existing.Contains(id)).ToArray();
        if (missing.Length > 0)
        {
            throw new UnknownRunException(missing,
                $"Metric points name {(missing.Length == 1 ? "a run that does" : "runs that do")} not exist: {string.Join(", ", missing)}. Nothing of this write was stored.");
        }
    }

    /// <summary>
    /// A transaction of our own, or null when the caller's connection is already in one. Npgsql has no public
    /// "in a transaction" property; it refuses a second BeginTransaction with an InvalidOperationException whether
    /// the first came from its API or a BEGIN statement, and that refusal is the test.
    /// </summary>
    private static async Task<NpgsqlTransaction?> TryBeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection must be open to write metric points on it.");
        }

        try
        {
            return await connection.BeginTransactionAsync(cancellationToken);
        }
        catch (InvalidOperationException error) when (error.Message.Contains("transaction is already in progress"))
        {
            return null;
        }
    }

    /// <summary>Splits the batches into pieces of at most <see cref="BatchSize"/> points, each still tagged with its batch.</summary>
    private static IEnumerable<(int Batch, MetricPoint Point)[]> Chunks(IReadOnlyList<IReadOnlyCollection<MetricPoint>> batches) =>
        batches.SelectMany((points, batch) => points.Select(point => (batch, point))).Chunk(BatchSize);

    private static async Task CopyAsync(NpgsqlConnection connection, string copySql, (int Batch, MetricPoint Point)[] rows, bool withBatch, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copySql, cancellationToken);
        // Synchronous field writes fill Npgsql's buffer (it flushes when full): an await per field cost more than the copy.
        foreach (var (batch, point) in rows)
        {
            importer.StartRow();
            if (withBatch) importer.Write(batch, NpgsqlDbType.Integer);
            importer.Write(point.RunId, NpgsqlDbType.Uuid);
            importer.Write(point.Key, NpgsqlDbType.Text);
            importer.Write(point.Step, NpgsqlDbType.Bigint);
            importer.Write(point.Value, NpgsqlDbType.Double);
            importer.Write(point.RecordedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Adds each batch's new points in this chunk to <paramref name="counts"/>.</summary>
    private static async Task InsertAsync(
        NpgsqlConnection connection, (int Batch, MetricPoint Point)[] rows, int[] counts, CancellationToken cancellationToken)
    {

        if (rows[0].Batch == rows[^1].Batch)
        {
            // One batch: the row count is its count, without the join that attributes rows to batches.
            counts[rows[0].Batch] += await ExecuteAsync(connection, InsertSql, cancellationToken);
            return;
        }

        await using var command = new NpgsqlCommand(InsertCountingEachSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt32(0)] += reader.GetInt32(1);
        }
    }

    /// <summary>
    /// The append-only fast path: when no point repeats within the chunk and every (run, key) starts past its stored
    /// maximum, the chunk is copied straight into run_metrics and every point counts as new. A concurrent writer
    /// storing one of these points first makes the COPY fail; the savepoint undoes it and the caller stages instead.
    /// </summary>
    private static async Task<bool> TryCopyAllNewAsync(
        NpgsqlConnection connection, (int Batch, MetricPoint Point)[] rows, int[] counts, CancellationToken cancellationToken)
    {
        var firstStep = new Dictionary<(Guid RunId, string Key), long>();
        var seen = new HashSet<(Guid, string, long)>(rows.Length);
        foreach (var (_, point) in rows)
        {
            if (!seen.Add((point.RunId, point.Key, point.Step))) return false;
            var key = (point.RunId, point.Key);
            firstStep[key] = firstStep.TryGetValue(key, out var first) ? Math.Min(first, point.Step) : point.Step;
        }

        await using (var probe = new NpgsqlCommand(StoredMaxSql, connection))
        {
            probe.Parameters.Add(new NpgsqlParameter { Value = firstStep.Keys.Select(k => k.RunId).ToArray() });
            probe.Parameters.Add(new NpgsqlParameter { Value = firstStep.Keys.Select(k => k.Key).ToArray() });
            await using var reader = await probe.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(2) && firstStep[(reader.GetGuid(0), reader.GetString(1))] <= reader.GetInt64(2)) return false;
            }
        }

        await ExecuteAsync(connection, "SAVEPOINT metrics_all_new", cancellationToken);
        try
        {
            await CopyAsync(connection, CopyDirectSql, rows, withBatch: false, cancellationToken);
            await ExecuteAsync(connection, "RELEASE SAVEPOINT metrics_all_new", cancellationToken);
        }
        catch (PostgresException raced) when (raced.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT metrics_all_new", CancellationToken.None);
            return false;
        }

        foreach (var (batch, _) in rows) counts[batch]++;
        return true;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
