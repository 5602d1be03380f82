using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Events;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Data.Metrics;
using SlmOps.Worker.Capabilities;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Claims a run, executes its handler on a dedicated thread, heart-beats (and watches cancel_requested_at)
/// while it trains, flushes metrics in batches, and records the outcome.
/// </summary>
public sealed class RunExecutor(
    IDbContextFactory<SlmOpsDbContext> contexts,
    RunMetricWriter metrics,
    RunHandlers handlers,
    ArtifactLayout layout,
    WorkerCapabilities capabilities,
    IPublishEndpoint publisher,
    RunCancellations cancellations,
    ILogger<RunExecutor> logger)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    public async Task ExecuteAsync(Guid runId, int attempt, CancellationToken messageCancellation)
    {
        await using var db = await contexts.CreateDbContextAsync(messageCancellation);
        if (!await RunClaims.TryClaimAsync(db, runId, attempt, capabilities.WorkerName, capabilities.Device, messageCancellation))
        {
            logger.LogInformation("Run {RunId} attempt {Attempt} not claimable (duplicate, stale or cancelled); skipping", runId, attempt);
            return;
        }
        var run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == runId, messageCancellation);
        await LogAsync(db, run, RunEventLevel.Info, $"Started attempt {attempt} on {capabilities.WorkerName} ({capabilities.Device})");
        await publisher.Publish(new RunStarted(runId, DateTimeOffset.UtcNow, attempt, capabilities.WorkerName, capabilities.Device), messageCancellation);

        using var cancel = new CancellationTokenSource();
        using var registration = cancellations.Register(runId, cancel);
        var pending = new ConcurrentQueue<MetricPoint>();
        var latest = new LatestProgress();
        void Report(long step, long total, double? loss, double? tokensPerSecond, double? lr)
        {
            var now = DateTimeOffset.UtcNow;
            if (loss is { } l) pending.Enqueue(new MetricPoint(runId, "loss", step, l, now));
            if (tokensPerSecond is { } t) pending.Enqueue(new MetricPoint(runId, "tokens_per_second", step, t, now));
            if (lr is { } r) pending.Enqueue(new MetricPoint(runId, "learning_rate", step, r, now));
            latest.Set(step, total, loss, tokensPerSecond, lr);
        }

        void FlushMetrics()
        {
            var batch = new List<MetricPoint>();
            while (pending.TryDequeue(out var point)) batch.Add(point);
            if (batch.Count > 0) metrics.AppendAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        }

        void Metric(string key, long step, double value) => pending.Enqueue(new MetricPoint(runId, key, step, value, DateTimeOffset.UtcNow));

        var context = new RunContext(run, layout, Report, cancel.Token) { FlushMetrics = FlushMetrics, Metric = Metric };
        var work = new TaskCompletionSource<IReadOnlyDictionary<string, string>?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { work.SetResult(handlers.Execute(context)); }
            catch (Exception error) { work.SetException(error); }
        }) { IsBackground = true, Name = $"run-{runId:N}" };
        thread.Start();

        while (!work.Task.IsCompleted)
        {
            await Task.WhenAny(work.Task, Task.Delay(HeartbeatInterval, CancellationToken.None));
            await FlushAsync(db, run, pending, latest);
            if (await CancelRequestedAsync(db, runId)) cancel.Cancel();
        }
        await FlushAsync(db, run, pending, latest);

        try
        {
            var outputs = await work.Task;
            if (outputs is null || cancel.IsCancellationRequested)
            {
                await RunClaims.FinishAsync(db, runId, attempt, RunStatus.Cancelled, null, CancellationToken.None);
                await LogAsync(db, run, RunEventLevel.Warning, "Cancelled at a step boundary");
                await publisher.Publish(new RunCancelled(runId, DateTimeOffset.UtcNow, "requested"), CancellationToken.None);
                return;
            }
            await RunClaims.FinishAsync(db, runId, attempt, RunStatus.Succeeded, null, CancellationToken.None);
            await LogAsync(db, run, RunEventLevel.Info, "Succeeded: " + string.Join(", ", outputs.Select(o => $"{o.Key}={o.Value}")));
            await publisher.Publish(new RunCompleted(runId, DateTimeOffset.UtcNow, outputs), CancellationToken.None);
        }
        catch (Exception error)
        {
            logger.LogError(error, "Run {RunId} attempt {Attempt} failed", runId, attempt);
            var message = error.GetBaseException().Message;
            await RunClaims.FinishAsync(db, runId, attempt, RunStatus.Failed, message, CancellationToken.None);
            await LogAsync(db, run, RunEventLevel.Error, "Failed: " + message);
            await publisher.Publish(new RunFailed(runId, DateTimeOffset.UtcNow, message, WillRetry: false), CancellationToken.None);
        }
    }

    private async Task FlushAsync(SlmOpsDbContext db, Run run, ConcurrentQueue<MetricPoint> pending, LatestProgress latest)
    {
        var batch = new List<MetricPoint>();
        while (pending.TryDequeue(out var point)) batch.Add(point);
        if (batch.Count > 0) await metrics.AppendAsync(batch, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var (step, total, loss, rate, lr) = latest.Get();
        var progress = total > 0 ? Math.Clamp((double)step / total, 0, 1) : 0;
        await db.Runs.Where(r => r.Id == run.Id && r.Status == RunStatus.Running && r.Attempt == run.Attempt)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, now).SetProperty(r => r.Progress, progress)
                .SetProperty(r => r.LatestLoss, r => loss ?? r.LatestLoss), CancellationToken.None);
        await UpsertWorkerAsync(db, run.Id, now);
        if (batch.Count > 0)
        {
            // The newest point of each key in this batch: what a live view shows beside the step counter.
            var newest = batch.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.MaxBy(p => p.Step)!.Value);
            await publisher.Publish(new RunProgressed(run.Id, now, step, total, loss, rate, lr, newest), CancellationToken.None);
        }
    }

    private async Task UpsertWorkerAsync(SlmOpsDbContext db, Guid runId, DateTimeOffset now)
    {
        var updated = await db.Workers.Where(w => w.Name == capabilities.WorkerName)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastSeenAt, now).SetProperty(w => w.CurrentRunId, runId), CancellationToken.None);
        if (updated > 0) return;
        db.Workers.Add(new WorkerNode { Name = capabilities.WorkerName, Device = capabilities.Device, Slots = capabilities.Slots, CurrentRunId = runId });
        try { await db.SaveChangesAsync(CancellationToken.None); }
        catch (DbUpdateException) { db.ChangeTracker.Clear(); } // another slot of this worker inserted it first
    }

    private static Task<bool> CancelRequestedAsync(SlmOpsDbContext db, Guid runId) =>
        db.Runs.AnyAsync(r => r.Id == runId && r.CancelRequestedAt != null, CancellationToken.None);

    private static async Task LogAsync(SlmOpsDbContext db, Run run, RunEventLevel level, string message)
    {
        db.RunEvents.Add(new RunEvent { RunId = run.Id, Attempt = run.Attempt, Level = level, Message = message });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private sealed class LatestProgress
    {
        private readonly Lock _gate = new();
        private (long, long, double?, double?, double?) _value;
        public void Set(long step, long total, double? loss, double? rate, double? lr) { lock (_gate) _value = (step, total, loss, rate, lr); }
        public (long Step, long Total, double? Loss, double? Rate, double? Lr) Get() { lock (_gate) return _value; }
    }
}
