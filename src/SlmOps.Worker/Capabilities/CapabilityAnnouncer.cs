namespace SlmOps.Worker.Capabilities;

/// <summary>Logs what this worker can do once, as the host starts, so operators see it in the first lines.</summary>
public sealed class CapabilityAnnouncer(WorkerCapabilities capabilities, ILogger<CapabilityAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation(
            "Worker {Worker} capabilities: device={Device} name={DeviceName} slots={Slots} queue={Queue}",
            capabilities.WorkerName, capabilities.Device, capabilities.DeviceName, capabilities.Slots, capabilities.QueueName);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
