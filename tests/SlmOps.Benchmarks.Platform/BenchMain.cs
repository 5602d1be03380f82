using SlmOps.TestSupport;

namespace SlmOps.Benchmarks.Platform;

/// <summary>
/// The platform benchmark (deploy/bench.sh platform): submit-to-running latency of small jobs through the REST
/// API and a real worker process, and metric ingestion through RunMetricWriter (binary COPY) vs one INSERT per
/// point, and through MetricIngester with concurrent callers.
/// </summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        Console.WriteLine($"platform: device=cpu ({Environment.ProcessorCount} cores), PostgreSQL {Host(TestStack.PostgresConnectionString)}, " +
                          $"RabbitMQ {TestStack.RabbitMqHost}:{TestStack.RabbitMqPort}/{TestStack.RabbitMqVirtualHost}; {options}");
        await using var stack = await PlatformStack.StartAsync();
        Console.WriteLine($"database {stack.DatabaseName}, queue prefix {stack.QueuePrefix}, web in-process, one worker process (1 slot)");

        var latency = await SubmitLatency.MeasureAsync(stack, options.Jobs, options.WarmupJobs);
        Console.WriteLine($"jobs: {latency.Jobs} prepare runs one after another (a new one when the last succeeded), {latency.JobsPerSecond:F1} jobs/s end to end");
        Console.WriteLine($"submit->running (queued_at by the API -> started_at by the worker's claim, server timestamps): " +
                          $"p50 {latency.P50Ms:F1} ms, p95 {latency.P95Ms:F1} ms, max {latency.MaxMs:F1} ms");

        var ingestion = await MetricIngestion.MeasureAsync(stack.ConnectionString, options);
        Console.WriteLine($"metric ingestion (median of {options.Reps}): RunMetricWriter binary COPY (straight into metric_points when every point is new, else staging + INSERT ON CONFLICT) " +
                          $"{ingestion.BatchedPointsPerSecond:F0} points/s ({options.BatchedPoints} points in one call), " +
                          $"one INSERT ... VALUES per point {ingestion.SinglePointsPerSecond:F0} points/s ({options.SinglePoints} points)");
        Console.WriteLine($"metric ingestion through MetricIngester (median of {options.Reps}): {options.IngesterCallers} concurrent callers " +
                          $"sending batches of {options.IngesterBatch}, coalesced into shared writes: {ingestion.IngesterPointsPerSecond:F0} points/s " +
                          $"({options.BatchedPoints} points)");

        Console.WriteLine($"platform: device=cpu jobs={latency.Jobs} submit_to_running_p50_ms={latency.P50Ms:F1} submit_to_running_p95_ms={latency.P95Ms:F1} " +
                          $"batched_points_s={ingestion.BatchedPointsPerSecond:F0} single_points_s={ingestion.SinglePointsPerSecond:F0} " +
                          $"ratio={ingestion.BatchedPointsPerSecond / ingestion.SinglePointsPerSecond:F1} vs single-row-inserts");
        return 0;
    }

    private static string Host(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }
}
