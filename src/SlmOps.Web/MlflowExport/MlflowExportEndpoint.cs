using MassTransit;

namespace SlmOps.Web.MlflowExport;

/// <summary>
/// Connects the export queue to the running bus. Every web node binds the same queue, so each finished run's event
/// is consumed by one of them, which enqueues its export job. Connected at run time because the web bus is configured elsewhere with no consumers.
/// </summary>
public sealed class MlflowExportEndpoint(IReceiveEndpointConnector connector, IServiceProvider services, ILogger<MlflowExportEndpoint> logger)
    : IHostedService
{
    public const string QueueName = "slmops-web-mlflow-export";
    private HostReceiveEndpointHandle? _handle;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _handle = connector.ConnectReceiveEndpoint(QueueName, (_, endpoint) =>
            endpoint.Consumer(() => new RunFinishedExportConsumer(services.GetRequiredService<Hangfire.IBackgroundJobClient>())));
        logger.LogInformation("Exporting finished runs to MLflow from queue {Queue}", QueueName);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_handle is { } handle) await handle.StopAsync(cancellationToken);
    }
}
