using Npgsql;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Sweeper;

/// <summary>
/// One pass of the sweeper (DESIGN.md §1): runs whose worker was lost are re-queued and re-dispatched (or
/// failed once their attempts are used), queued runs whose message was lost are re-dispatched, and the work
/// folders of long-finished runs are pruned. PostgreSQL decides; a dispatch that fails is retried next pass.
/// </summary>
public sealed class RunSweeper(
    NpgsqlDataSource database,
    IRunDispatcher dispatcher,
    CheckpointPruner pruner,
    SweeperOptions options,
    TimeProvider time,
    ILogger<RunSweeper> logger)
{
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (requeued, failed) = await RecoverLostRunningAsync(now, cancellationToken);
        foreach (var id in requeued) await TryDispatchAsync(id, "its worker was lost", cancellationToken);

        var unclaimed = await ReadUnclaimedQueuedAsync(now - options.DispatchTimeout, cancellationToken);
        var redispatched = new List<Guid>();
        foreach (var id in unclaimed.Except(requeued))
        {
            if (await TryDispatchAsync(id, "no worker claimed it", cancellationToken)) redispatched.Add(id);
        }

        var pruned = await pruner.PruneAsync(now, cancellationToken);
        return new SweepResult(requeued, failed, redispatched, pruned);
    }

    private async Task<(List<Guid> Requeued, List<Guid> Ended)> RecoverLostRunningAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var command = database.CreateCommand(LostRunSql.RecoverLostRunning);
        command.Parameters.AddWithValue("cutoff", now - options.HeartbeatTimeout);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("timeoutSeconds", (int)Math.Round(options.HeartbeatTimeout.TotalSeconds));
        var requeued = new List<Guid>();
        var ended = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (id, status) = (reader.GetGuid(0), reader.GetString(1));
            (status == "Queued" ? requeued : ended).Add(id);
            logger.LogWarning("Run {RunId} lost its worker and is now {Status}", id, status);
        }

        return (requeued, ended);
    }

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
