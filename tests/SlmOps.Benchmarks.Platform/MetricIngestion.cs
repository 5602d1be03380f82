using System.Diagnostics;
using Npgsql;
using SlmOps.Data.Metrics;

namespace SlmOps.Benchmarks.Platform;

public sealed record IngestionResult(double BatchedPointsPerSecond, double SinglePointsPerSecond, double IngesterPointsPerSecond);

/// <summary>
/// Metric ingestion three ways, every point new and every write idempotent: RunMetricWriter (binary COPY into
/// metric_points when every point is new, else into staging and one INSERT ... ON CONFLICT) fed whole batches on one open connection, what a heartbeat sends; its peer,
/// the naive per-step write, one <c>INSERT ... SELECT ... ON CONFLICT DO NOTHING</c> per point on the same
/// connection; and MetricIngester with several concurrent callers sending small batches, as worker requests
/// arrive at the web host, which it coalesces into shared writes. Fresh keys each repetition; the median.
/// </summary>
public static class MetricIngestion
{
    // The same schema and the same idempotency as the writer: the series is resolved by (run, key) and the point
    // skipped if stored; only the batching differs.
    private const string SeriesSql = "INSERT INTO metric_series (run_id, key) VALUES ($1, $2) ON CONFLICT (run_id, key) DO NOTHING";

    private const string SingleInsertSql = """
        INSERT INTO metric_points (series_id, step, value, recorded_at)
        SELECT id, $3, $4, $5 FROM metric_series WHERE run_id = $1 AND key = $2
        ON CONFLICT (series_id, step) DO NOTHING
        """;

    public static async Task<IngestionResult> MeasureAsync(string connectionString, BenchOptions options)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var runId = Guid.NewGuid();
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO runs (id, kind, status, config, created_by) VALUES ($1, 'TrainBaseModel', 'Running', '{}', 'bench')"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = runId });
            await insert.ExecuteNonQueryAsync();
        }

        var batched = new List<double>();
        var single = new List<double>();
        var coalesced = new List<double>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var ingester = new MetricIngester(dataSource);
        // Warm-up at full size, excluded from the timings: JIT of both write paths, PostgreSQL caches and the staging table.
        await RunMetricWriter.AppendAsync(connection, Points(runId, "warmup", options.BatchedPoints), CancellationToken.None);
        await RunMetricWriter.AppendAsync(connection, Points(runId, "warmup", options.BatchedPoints), CancellationToken.None);
        await SingleRowsAsync(connection, Points(runId, "warmup-single", 50));
        await ThroughIngesterAsync(ingester, runId, "warmup-ingester", options.IngesterCallers, options.IngesterBatch, options.IngesterCallers * options.IngesterBatch);
        // One way at a time, so the bursts of one (the single-row phase's commit per point) do not land in another's timing.
        for (var rep = 0; rep < options.Reps; rep++)
        {
            var points = Points(runId, $"batched-{rep}", options.BatchedPoints);
            var clock = Stopwatch.StartNew();
            var stored = await RunMetricWriter.AppendAsync(connection, points, CancellationToken.None);
            batched.Add(Check(stored, points.Length) / clock.Elapsed.TotalSeconds);
        }
        for (var rep = 0; rep < options.Reps; rep++)
        {
            var points = Points(runId, $"single-{rep}", options.SinglePoints);
            var clock = Stopwatch.StartNew();
            var stored = await SingleRowsAsync(connection, points);
            single.Add(Check(stored, points.Length) / clock.Elapsed.TotalSeconds);
        }
        for (var rep = 0; rep < options.Reps; rep++)
        {
            var clock = Stopwatch.StartNew();
            var stored = await ThroughIngesterAsync(ingester, runId, $"ingester-{rep}", options.IngesterCallers, options.IngesterBatch, options.BatchedPoints);
            coalesced.Add(Check(stored, options.BatchedPoints) / clock.Elapsed.TotalSeconds);
        }
        return new IngestionResult(Median(batched), Median(single), Median(coalesced));
    }

    /// <summary>The naive per-step write: one statement, and so one commit, per point (after one per new series).</summary>
    private static async Task<int> SingleRowsAsync(NpgsqlConnection connection, MetricPoint[] points)
    {
        foreach (var (runId, key) in points.Select(p => (p.RunId, p.Key)).Distinct())
        {
            await using var series = new NpgsqlCommand(SeriesSql, connection);
            series.Parameters.Add(new NpgsqlParameter { Value = runId });
            series.Parameters.Add(new NpgsqlParameter { Value = key });
            await series.ExecuteNonQueryAsync();
        }

        var stored = 0;
        foreach (var point in points)
        {
            await using var insert = new NpgsqlCommand(SingleInsertSql, connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = point.RunId });
            insert.Parameters.Add(new NpgsqlParameter { Value = point.Key });
            insert.Parameters.Add(new NpgsqlParameter { Value = point.Step });
            insert.Parameters.Add(new NpgsqlParameter { Value = point.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = point.RecordedAt });
            stored += await insert.ExecuteNonQueryAsync();
        }
        return stored;
    }

    /// <summary><paramref name="callers"/> concurrent callers, each with a key of its own, sending batches of <paramref name="batch"/> points one after another.</summary>
    private static async Task<int> ThroughIngesterAsync(MetricIngester ingester, Guid runId, string key, int callers, int batch, int total)
    {
        var perCaller = total / callers;
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var points = Points(runId, $"{key}-{caller}", perCaller + (caller < total % callers ? 1 : 0));
            var stored = 0;
            foreach (var chunk in points.Chunk(batch)) stored += await ingester.AppendAsync(chunk, CancellationToken.None);
            return stored;
        })));
        return counts.Sum();
    }

    private static MetricPoint[] Points(Guid runId, string key, int count) =>
        Enumerable.Range(1, count).Select(step => new MetricPoint(runId, key, step, 1.0 / step, DateTimeOffset.UtcNow)).ToArray();

    private static int Check(int stored, int expected) =>
        stored == expected ? stored : throw new InvalidOperationException($"Stored {stored} of {expected} new points.");

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
