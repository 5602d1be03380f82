using MassTransit;
using SlmOps.Contracts.Events;

namespace SlmOps.Web.Tracking;

/// <summary>
/// Announces what the tracking endpoints wrote (RunStarted, RunProgressed, outcomes) on the bus, so every web
/// instance's live pages and the MLflow exporter see it. PostgreSQL already holds the truth: a broker that is
/// down costs only a delayed live view, never the write, so a failed publish is logged, not thrown.
/// </summary>
public sealed class RunEventPublisher(IBus bus, ILogger<RunEventPublisher> logger)
{
    public async Task PublishAsync<T>(T message) where T : class, IRunEvent
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await bus.Publish(message, timeout.Token);
        }
        catch (Exception error)
        {
            logger.LogWarning("Could not announce {Event} of run {RunId} on the bus: {Reason}", typeof(T).Name, message.RunId, error.GetBaseException().Message);
        }
    }
}
