using Npgsql;
using NpgsqlTypes;

namespace SlmOps.Data.Metrics;

/// <summary>
/// Appends metric points to metric_points, keyed by series (one (run, key), migration 0007). Per chunk: the runs are
/// checked and KEY SHARE-locked once, the series are looked up (and created) once, and then either the common case,
/// every point past what is stored, is copied straight into metric_points with binary COPY; or the points go to a
/// session-local staging table and one <c>INSERT ... SELECT ... ON CONFLICT (series_id, step) DO NOTHING</c>. A point
/// already stored (a resumed run replaying steps, a re-delivered message, a retried batch) is skipped, never
/// duplicated or overwritten, and so is the second copy of a point sent twice in one batch. COPY because the rows
/// travel in PostgreSQL's binary row format, parsed once.
/// </summary>
/// <remarks>
/// The staging table is a temporary table (<c>ON COMMIT DELETE ROWS</c>) and is only written inside a transaction,
/// so whatever ends that transaction, commit or rollback after a failed batch, empties it: the next user of a
/// pooled connection never sees another batch's rows. When the caller's connection is already in a transaction
/// the write joins it (no second transaction) and empties the staging table itself.
/// </remarks>
public sealed class RunMetricWriter(NpgsqlDataSource dataSource)
{
    /// <summary>Points per COPY and INSERT; bounds the staging table (temp_buffers) and one statement's memory.</summary>
    public const int BatchSize = 50_000;

    private const string StagingTable = "metric_points_staging";

    // "batch" says which of the batches written together a row came from, to count each one's new points.
    private const string CreateStagingSql = $"""
        CREATE TEMP TABLE IF NOT EXISTS {StagingTable} (
            batch int NOT NULL, series_id bigint NOT NULL, step bigint NOT NULL,
            value double precision NOT NULL, recorded_at timestamptz NOT NULL
        ) ON COMMIT DELETE ROWS
        """;

    private const string CopySql = $"COPY {StagingTable} (batch, series_id, step, value, recorded_at) FROM STDIN (FORMAT BINARY)";

    private const string InsertSql = $"""
        INSERT INTO metric_points (series_id, step, value, recorded_at)
        SELECT series_id, step, value, recorded_at FROM {StagingTable}
        ON CONFLICT (series_id, step) DO NOTHING
        """;

    // The seq scan inserts the staged rows in COPY order, so of two batches sending the same new point the earlier
    // one stores it and is credited with it: the counts are those of writing the batches one after another.
    private const string InsertCountingEachSql = $"""
        WITH inserted AS (
            INSERT INTO metric_points (series_id, step, value, recorded_at)
            SELECT series_id, step, value, recorded_at FROM {StagingTable}
            ON CONFLICT (series_id, step) DO NOTHING
            RETURNING series_id, step)
        SELECT first_batch, count(*)::int FROM (
            SELECT min(s.batch) AS first_batch
            FROM inserted i JOIN {StagingTable} s USING (series_id, step)
            GROUP BY i.series_id, i.step) firsts
        GROUP BY first_batch
        """;

    // The chunk's series: created if new (ordered, so two writers creating the same ones lock them in one order),
    // else found, each with its stored maximum step (one index descent) for the append-only test. A series another
    // transaction created after this statement's snapshot is in neither half; SeriesAsync asks again for it.
    private const string SeriesSql = """
        WITH wanted AS (SELECT DISTINCT run_id, key FROM unnest($1::uuid[], $2::text[]) AS w(run_id, key)),
        created AS (
            INSERT INTO metric_series (run_id, key) SELECT run_id, key FROM wanted ORDER BY run_id, key
            ON CONFLICT (run_id, key) DO NOTHING
            RETURNING id, run_id, key)
        SELECT id, run_id, key, NULL::bigint FROM created
        UNION ALL
        SELECT s.id, s.run_id, s.key, (SELECT max(p.step) FROM metric_points p WHERE p.series_id = s.id)
        FROM metric_series s JOIN wanted w ON w.run_id = s.run_id AND w.key = s.key
        """;

    private const string CopyDirectSql = "COPY metric_points (series_id, step, value, recorded_at) FROM STDIN (FORMAT BINARY)";

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
                // Each row's series, looked up once: the fast-path test and the COPY both read it per row.
                var series = await SeriesAsync(connection, chunk, cancellationToken);
                var rowSeries = Array.ConvertAll(chunk, r => series[(r.Point.RunId, r.Point.Key)]);
                if (await TryCopyAllNewAsync(connection, chunk, rowSeries, counts, cancellationToken)) continue;
                await CopyAsync(connection, CopySql, chunk, rowSeries, withBatch: true, cancellationToken);
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

    private static async Task CopyAsync(
        NpgsqlConnection connection, string copySql, (int Batch, MetricPoint Point)[] rows, Series[] rowSeries,
        bool withBatch, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copySql, cancellationToken);
        // Synchronous field writes fill Npgsql's buffer (it flushes when full): an await per field cost more than the copy.
        for (var i = 0; i < rows.Length; i++)
        {
            var (batch, point) = rows[i];
            importer.StartRow();
            if (withBatch) importer.Write(batch, NpgsqlDbType.Integer);
            importer.Write(rowSeries[i].Id, NpgsqlDbType.Bigint);
            importer.Write(point.Step, NpgsqlDbType.Bigint);
            importer.Write(point.Value, NpgsqlDbType.Double);
            importer.Write(point.RecordedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>A series' id and the largest step stored under it (null when it has none).</summary>
    private readonly record struct Series(long Id, long? MaxStep);

    /// <summary>
    /// The series of every (run, key) in the chunk, created where missing. A series another writer created and
    /// committed while this statement ran is skipped by its insert and not yet visible to its select; the next
    /// statement's snapshot sees it, so the missing ones are asked for again.
    /// </summary>
    private static async Task<Dictionary<(Guid, string), Series>> SeriesAsync(
        NpgsqlConnection connection, (int Batch, MetricPoint Point)[] rows, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(Guid, string), Series>();
        var wanted = rows.Select(r => (r.Point.RunId, r.Point.Key)).Distinct().ToArray();
        for (var attempt = 1; wanted.Length > 0; attempt++)
        {
            if (attempt > 5)
            {
                throw new InvalidOperationException($"Metric series for {wanted.Length} (run, key) pairs could not be created or found after {attempt - 1} tries.");
            }

            await using var command = new NpgsqlCommand(SeriesSql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => w.RunId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => w.Key).ToArray() });
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    found[(reader.GetGuid(1), reader.GetString(2))] = new Series(reader.GetInt64(0), reader.IsDBNull(3) ? null : reader.GetInt64(3));
                }
            }

            wanted = wanted.Where(w => !found.ContainsKey(w)).ToArray();
        }

        return found;
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
    /// The append-only fast path: when no point repeats within the chunk and every series starts past its stored
    /// maximum, the chunk is copied straight into metric_points and every point counts as new. A concurrent writer
    /// storing one of these points first makes the COPY fail; the savepoint undoes it and the caller stages instead.
    /// </summary>
    private static async Task<bool> TryCopyAllNewAsync(
        NpgsqlConnection connection, (int Batch, MetricPoint Point)[] rows, Series[] rowSeries,
        int[] counts, CancellationToken cancellationToken)
    {
        var seen = new HashSet<(long SeriesId, long Step)>(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var (series, step) = (rowSeries[i], rows[i].Point.Step);
            if (!seen.Add((series.Id, step))) return false;
            if (series.MaxStep is { } stored && step <= stored) return false;
        }

        await ExecuteAsync(connection, "SAVEPOINT metrics_all_new", cancellationToken);
        try
        {
            await CopyAsync(connection, CopyDirectSql, rows, rowSeries, withBatch: false, cancellationToken);
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
