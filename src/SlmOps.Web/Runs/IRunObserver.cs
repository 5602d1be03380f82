using SlmOps.Data.Entities;

namespace SlmOps.Web.Runs;

/// <summary>
/// A feature that follows runs' lives without the runs and tracking code knowing it (the sweeps scheduler: a cancelled
/// sweep cancels its trials, an ended trial makes room for the next). Called after the change is stored; the recurring
/// jobs stay the safety net for a call that fails or a change made elsewhere (the sweeper).
/// </summary>
public interface IRunObserver
{
    /// <summary>A cancel was asked for (a queued run is already Cancelled); <paramref name="run"/> as it stands.</summary>
    Task CancelRequestedAsync(Run run, CancellationToken ct);

    /// <summary>A worker's outcome ended the run (Succeeded, Failed or Cancelled).</summary>
    Task EndedAsync(Guid runId, CancellationToken ct);
}
