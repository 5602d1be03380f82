using System.Diagnostics;
using Npgsql;
using SlmOps.Data.Metrics;

namespace SlmOps.Benchmarks.Platform;

public sealed record IngestionResult(double BatchedPointsPerSecond, double SinglePointsPerSecond);

/// <summary>
/// The same INSERT ... ON CONFLICT statement of RunMetricWriter on one open connection, fed either whole batches
/// (what the worker does every heartbeat) or one point per statement (a naive per-step insert). Fresh keys each
/// repetition so every point is new; the median of the repetitions.
/// </summary>
public static class MetricIngestion
{
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
        await using var connection = await dataSource.OpenConnectionAsync();
        await RunMetricWriter.AppendAsync(connection, Points(runId, "warmup", 1000), CancellationToken.None);
        for (var rep = 0; rep < options.Reps; rep++)
        {
            var points = Points(runId, $"batched-{rep}", options.BatchedPoints);
            var clock = Stopwatch.StartNew();
            var stored = await RunMetricWriter.AppendAsync(connection, points, CancellationToken.None);
            batched.Add(Check(stored, points.Length) / clock.Elapsed.TotalSeconds);

            points = Points(runId, $"single-{rep}", options.SinglePoints);
            clock.Restart();
            stored = 0;
            foreach (var point in points) stored += await RunMetricWriter.AppendAsync(connection, [point], CancellationToken.None);
            single.Add(Check(stored, points.Length) / clock.Elapsed.TotalSeconds);
        }
        return new IngestionResult(Median(batched), Median(single));
    }

    private static MetricPoint[] Points(Guid runId, string key, int count) =>
        Enumerable.Range(1, count).Select(step => new MetricPoint(runId, key, step, 1.0 / step, DateTimeOffset.UtcNow)).ToArray();

    private static int Check(int stored, int expected) =>
        stored == expected ? stored : throw new InvalidOperationException($"Stored {stored} of {expected} new points.");

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
