namespace SlmOps.Web.Tracking;

/// <summary>
/// A feature that judges a running run by its metric points as they arrive, without the tracking code knowing it (a
/// sweep's early stopping). Called in the heartbeat that stored them, so its answer travels back with that heartbeat:
/// true when it asked the run to stop.
/// </summary>
public interface IRunMetricsObserver
{
    Task<bool> MetricsStoredAsync(Guid runId, CancellationToken ct);
}
