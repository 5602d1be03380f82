using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SlmOps.Contracts;

namespace SlmOps.Benchmarks.Platform;

public sealed record LatencyResult(int Jobs, double P50Ms, double P95Ms, double MaxMs, double JobsPerSecond);

/// <summary>
/// Submits prepare runs through POST /api/v1/runs/prepare one at a time, each once the previous one succeeded, so
/// every job meets an idle worker: the latency is dispatch + broker + claim, not time spent waiting behind others.
/// It is taken from the run's own timestamps (queued_at written by the API, started_at by the worker's claim).
/// </summary>
public static class SubmitLatency
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan JobDeadline = TimeSpan.FromMinutes(2);

    public static async Task<LatencyResult> MeasureAsync(PlatformStack stack, int jobs, int warmup)
    {
        using var client = stack.CreateClient();
        var datasetVersion = await stack.SeedDatasetAsync("bench-corpus", Corpus());
        for (var i = 0; i < warmup; i++) await RunOneAsync(client, datasetVersion, $"bench-warmup-{i}");

        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < jobs; i++) latencies.Add(await RunOneAsync(client, datasetVersion, $"bench-{i}"));
        clock.Stop();

        latencies.Sort();
        return new LatencyResult(jobs, Percentile(latencies, 0.50), Percentile(latencies, 0.95), latencies[^1], jobs / clock.Elapsed.TotalSeconds);
    }

    /// <returns>Milliseconds from queued_at to started_at.</returns>
    private static async Task<double> RunOneAsync(HttpClient client, long datasetVersion, string name)
    {
        var response = await client.PostAsJsonAsync("/api/v1/runs/prepare", new { name, priority = 5, spec = new { datasetVersionId = datasetVersion } }, Json);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/v1/runs/prepare answered {(int)response.StatusCode}: {body}");
        var id = JsonSerializer.Deserialize<RunTimes>(body, Json)!.Id;

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var run = (await client.GetFromJsonAsync<RunTimes>($"/api/v1/runs/{id}", Json))!;
            if (run.Status == RunStatus.Succeeded) return (run.StartedAt!.Value - run.QueuedAt).TotalMilliseconds;
            if (run.Status is RunStatus.Failed or RunStatus.Cancelled) throw new InvalidOperationException($"Run {id} ended {run.Status}: {run.Error}");
            if (deadline.Elapsed > JobDeadline) throw new TimeoutException($"Run {id} still {run.Status} after {JobDeadline}.");
            await Task.Delay(10);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Corpus()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 40; i++) text.AppendLine($"the quick brown fox jumps over the lazy dog {i % 7}").Append(i % 5 == 4 ? "\n" : "");
        return text.ToString();
    }

    private sealed record RunTimes(Guid Id, RunStatus Status, string? Error, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt);
}
