using MassTransit;

namespace SlmOps.Web.Live;

/// <summary>
/// Connects this web instance's own temporary queue (auto-deleted when the instance stops) to the run event
/// exchanges, so every instance receives every event, unlike a shared queue where instances would compete.
/// </summary>
public sealed class RunEventEndpoint(
    IReceiveEndpointConnector connector, RunEventHub hub, ILogger<RunEventEndpoint> logger)
    : IHostedService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HostReceiveEndpointHandle? _handle;

    /// <summary>Completes once the queue is bound and consuming (tests wait on it before publishing).</summary>
    public Task Ready => _ready.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _handle = connector.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("slmops-web-live"),
            KebabCaseEndpointNameFormatter.Instance,
            (_, endpoint) =>
            {
                // Live updates are only worth having now: no retries, and one consumer at a time keeps their order.
                endpoint.ConcurrentMessageLimit = 1;
                endpoint.Consumer(() => new RunEventRelay(hub));
            });
        _ = SignalReadyAsync(_handle);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_handle is not { } handle) return;
        try
        {
            await handle.StopAsync(cancellationToken);
        }
        catch (Exception error) when (error is NullReferenceException or InvalidOperationException or OperationCanceledException)
        {
            // A host stopped before its bus finished starting leaves MassTransit's endpoint half built, and stopping it
            // throws. The bus's own stop tears the endpoint down and the temporary queue deletes itself either way.
            logger.LogDebug(error, "The live-updates endpoint was not running when the host stopped");
        }
    }

    private async Task SignalReadyAsync(HostReceiveEndpointHandle handle)
    {
        try
        {
            var ready = await handle.Ready;
            logger.LogInformation("Relaying run events to dashboards from {Address}", ready.InputAddress);
            _ready.TrySetResult();
        }
        catch (Exception error)
        {
            _ready.TrySetException(error);
        }
    }
}
