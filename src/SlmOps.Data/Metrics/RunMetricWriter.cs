using Npgsql;
using NpgsqlTypes;

namespace SlmOps.Data.Metrics;

/// <summary>
/// Appends metric points in batches with <c>INSERT ... ON CONFLICT (run_id, key, step) DO NOTHING</c>: a point
/// already stored (a resumed run replaying steps, a re-delivered message, a retried batch) is skipped, never
/// duplicated or overwritten. Each batch is one statement taking arrays, so a batch costs one round trip.
/// </summary>
public sealed class RunMetricWriter(NpgsqlDataSource dataSource)
{
    /// <summary>Points per statement; bounds the size of one request.</summary>
    public const int BatchSize = 5000;

    private const string InsertSql = """
        INSERT INTO run_metrics (run_id, key, step, value, recorded_at)
        SELECT * FROM unnest(@run_ids, @keys, @steps, @values, @recorded_at)
        ON CONFLICT (run_id, key, step) DO NOTHING
        """;

    /// <summary>Writes the points; returns how many were new (the rest were already stored).</summary>
    public async Task<int> AppendAsync(IReadOnlyCollection<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await AppendAsync(connection, points, cancellationToken);
    }

    /// <summary>Writes the points on a connection the caller owns (e.g. inside its own transaction).</summary>
    public static async Task<int> AppendAsync(
        NpgsqlConnection connection, IReadOnlyCollection<MetricPoint> points, CancellationToken cancellationToken)
    {
        var inserted = 0;
        foreach (var batch in points.Chunk(BatchSize))
        {
            await using var command = new NpgsqlCommand(InsertSql, connection);
            command.Parameters.Add(Array("run_ids", NpgsqlDbType.Uuid, batch.Select(p => p.RunId)));
            command.Parameters.Add(Array("keys", NpgsqlDbType.Text, batch.Select(p => p.Key)));
            command.Parameters.Add(Array("steps", NpgsqlDbType.Bigint, batch.Select(p => p.Step)));
            command.Parameters.Add(Array("values", NpgsqlDbType.Double, batch.Select(p => p.Value)));
            command.Parameters.Add(Array("recorded_at", NpgsqlDbType.TimestampTz, batch.Select(p => p.RecordedAt.ToUniversalTime())));
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return inserted;
    }

    private static NpgsqlParameter<T[]> Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { TypedValue = values.ToArray() };
}
