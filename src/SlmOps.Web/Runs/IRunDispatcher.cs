namespace SlmOps.Web.Runs;

/// <summary>The one place that sends a run's command to its worker queue.</summary>
public interface IRunDispatcher
{
    /// <summary>
    /// Sends the command for a Queued run (cpu or cuda queue per its device, with its priority) and stamps
    /// dispatched_at. Returns false, sending nothing, when the run does not exist or is no longer Queued, or when its
    /// team is at its maxQueuedRuns (the run then waits, with a run event saying why).
    /// </summary>
    Task<bool> DispatchAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>
    /// Offers rank <paramref name="rank"/> of a gang-scheduled run's attempt on the run's queue (a JoinGang command, with
    /// the run's priority). Sends nothing when the run is no longer Running at that attempt.
    /// </summary>
    Task DispatchRankAsync(Guid runId, int attempt, int rank, CancellationToken cancellationToken);
}
