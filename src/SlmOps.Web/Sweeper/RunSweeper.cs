using MassTransit;
using Npgsql;
using SlmOps.Contracts.Events;
using SlmOps.Web.Runs;
using SlmOps.Web.Tracking.Gangs;

namespace SlmOps.Web.Sweeper;

/// <summary>
/// One pass of the sweeper (DESIGN.md §1): runs whose worker was lost are re-queued and re-dispatched (or
/// failed once their attempts are used), and queued runs whose message was lost are re-dispatched. PostgreSQL
/// decides; a dispatch that fails is retried next pass.
/// A run it ends is announced like a worker would (RunFailed / RunCancelled) so live views and exporters see it;
/// a re-queue is only a run_events line, as the run is not over.
/// </summary>
public sealed class RunSweeper(
    NpgsqlDataSource database,
    IRunDispatcher dispatcher,
    SweeperOptions options,
    TimeProvider time,
    ILogger<RunSweeper> logger,
    IBus? events,
    GangOptions? gangs = null)
{
    /// <summary>A sweeper that announces nothing on the bus.</summary>
    public RunSweeper(NpgsqlDataSource database, IRunDispatcher dispatcher, SweeperOptions options, TimeProvider time, ILogger<RunSweeper> logger)
        : this(database, dispatcher, options, time, logger, null) { }

    private readonly GangOptions _gangs = gangs ?? new GangOptions();

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var released = await GangService.ReleaseUnformedAsync(database, _gangs,
            $"not every rank joined within the join timeout of {_gangs.JoinTimeout.TotalSeconds:0} s (Runs:Gang:JoinTimeout)", cancellationToken);
        foreach (var id in released)
        {
            logger.LogWarning("Run {RunId}: its gang did not form; released and back in the queue", id);
            await TryDispatchAsync(id, "its gang did not form", cancellationToken);
        }
        var now = time.GetUtcNow();
        var (requeued, ended) = await RecoverLostRunningAsync(now, cancellationToken);
        foreach (var run in ended) await AnnounceAsync(run, now, cancellationToken);
        var failed = ended.Select(r => r.Id).ToList();
        foreach (var id in requeued) await TryDispatchAsync(id, "its worker was lost", cancellationToken);

        var unclaimed = await ReadUnclaimedQueuedAsync(now - options.DispatchTimeout, cancellationToken);
        var redispatched = new List<Guid>();
        foreach (var id in unclaimed.Except(requeued))
        {
            if (await TryDispatchAsync(id, "no worker claimed it", cancellationToken)) redispatched.Add(id);
        }

        return new SweepResult(requeued, failed, redispatched, released);
    }

    private async Task<(List<Guid> Requeued, List<EndedRun> Ended)> RecoverLostRunningAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var command = database.CreateCommand(LostRunSql.RecoverLostRunning);
        command.Parameters.AddWithValue("cutoff", now - options.HeartbeatTimeout);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("timeoutSeconds", (int)Math.Round(options.HeartbeatTimeout.TotalSeconds));
        var requeued = new List<Guid>();
        var ended = new List<EndedRun>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (id, status) = (reader.GetGuid(0), reader.GetString(1));
            if (status == "Queued") requeued.Add(id);
            else ended.Add(new EndedRun(id, status, reader.IsDBNull(2) ? null : reader.GetString(2)));
            logger.LogWarning("Run {RunId} lost its worker and is now {Status}", id, status);
        }

        return (requeued, ended);
    }

    private async Task AnnounceAsync(EndedRun run, DateTimeOffset now, CancellationToken ct)
    {
        if (events is null) return;
        try
        {
            if (run.Status == "Failed")
                await events.Publish(new RunFailed(run.Id, now, run.Error ?? "Its worker was lost and no attempts are left.", WillRetry: false), ct);
            else
                await events.Publish(new RunCancelled(run.Id, now, "cancel requested; its worker was lost before it stopped"), ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The database already holds the outcome; a missed event only delays a live view until its next poll.
            logger.LogWarning(error, "Could not publish the end of run {RunId} ({Status})", run.Id, run.Status);
        }
    }

    private sealed record EndedRun(Guid Id, string Status, string? Error);

    private async Task<List<Guid>> ReadUnclaimedQueuedAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var command = database.CreateCommand(LostRunSql.UnclaimedQueued);
        command.Parameters.AddWithValue("cutoff", cutoff);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private async Task<bool> TryDispatchAsync(Guid runId, string reason, CancellationToken ct)
    {
        try
        {
            var sent = await dispatcher.DispatchAsync(runId, ct);
            if (sent) logger.LogInformation("Re-dispatched run {RunId}: {Reason}", runId, reason);
            return sent;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The run stays Queued with its old dispatched_at, so the next pass tries again.
            logger.LogWarning(error, "Could not re-dispatch run {RunId} ({Reason}); the next sweep retries", runId, reason);
            return false;
        }
    }
}
