using System.Collections.Concurrent;
using SlmOps.Artifacts;
using SlmOps.Contracts.Workers;
using SlmOps.Worker.Tracking;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Collects what a run reports (progress, metric points, log lines) and sends it in heartbeats, one at a time. A
/// heartbeat that fails keeps its points and lines for the next one, so nothing is lost to a web host restart.
/// Another rank than 0 of a gang spread over workers only keeps its rank alive; its log lines name the rank.
/// </summary>
public sealed class RunReporter(Guid runId, int attempt, string worker, TrackingClient tracking, int rank = 0)
{
    private readonly ConcurrentQueue<MetricReport> _metrics = new();
    private readonly ConcurrentQueue<LogReport> _logs = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Lock _gate = new();
    private (long Step, long Total, double? Loss, double? Rate, double? Lr) _latest;

    public void Report(long step, long total, double? loss, double? tokensPerSecond, double? lr)
    {
        var now = DateTimeOffset.UtcNow;
        if (loss is { } l) _metrics.Enqueue(new MetricReport("loss", step, l, now));
        if (tokensPerSecond is { } t) _metrics.Enqueue(new MetricReport("tokens_per_second", step, t, now));
        if (lr is { } r) _metrics.Enqueue(new MetricReport("learning_rate", step, r, now));
        lock (_gate) _latest = (step, total, loss, tokensPerSecond, lr);
    }

    public void Metric(string key, long step, double value) => _metrics.Enqueue(new MetricReport(key, step, value, DateTimeOffset.UtcNow));

    public void Log(string level, string message) =>
        _logs.Enqueue(new LogReport(level, rank == 0 ? message : $"Rank {rank} on {worker}: {message}", DateTimeOffset.UtcNow));

    /// <summary>
    /// Sends everything collected so far and returns only once it is stored: the web host may be away longer than one
    /// call's retries (a restart under load), and what follows a flush (a checkpoint) must not outrun its points. Ends
    /// with OperationCanceledException when <paramref name="ct"/> is cancelled (the run was cancelled or lost meanwhile).
    /// Returns the web host's answer, so a stop it decided on these very points (a sweep's early stopping) is heard at once.
    /// </summary>
    public async Task<RunHeartbeatResponse> FlushAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendAsync(ct);
            }
            catch (Exception error) when (error is not OperationCanceledException and not UnknownRunException)
            {
                await Task.Delay(Transient.Backoff(attempt), ct);
            }
        }
    }

    /// <summary>Sends everything collected so far with a heartbeat; on failure it stays queued and the error is thrown.</summary>
    public async Task<RunHeartbeatResponse> SendAsync(CancellationToken ct)
    {
        await _sending.WaitAsync(ct);
        var metrics = new List<MetricReport>();
        var logs = new List<LogReport>();
        try
        {
            while (_metrics.TryDequeue(out var point)) metrics.Add(point);
            while (_logs.TryDequeue(out var line)) logs.Add(line);
            (long Step, long Total, double? Loss, double? Rate, double? Lr) latest;
            lock (_gate) latest = _latest;
            var beat = new RunHeartbeat
            {
                Attempt = attempt, Worker = worker, Rank = rank, Step = latest.Step, TotalSteps = latest.Total,
                Loss = latest.Loss, TokensPerSecond = latest.Rate, LearningRate = latest.Lr, Metrics = metrics, Logs = logs,
            };
            return await tracking.HeartbeatAsync(runId, beat, ct);
        }
        catch
        {
            foreach (var point in metrics) _metrics.Enqueue(point);
            foreach (var line in logs) _logs.Enqueue(line);
            throw;
        }
        finally
        {
            _sending.Release();
        }
    }
}
