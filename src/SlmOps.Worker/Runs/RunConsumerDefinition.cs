using MassTransit;
using SlmOps.Worker.Capabilities;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Concurrency is the worker's slot count. Calls to the web host retry their own transient failures; a failing
/// training is reported as Failed by the executor, never retried by redelivery.
/// </summary>
public sealed class RunConsumerDefinition<TConsumer>(WorkerCapabilities capabilities) : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context)
    {
        ConcurrentMessageLimit = capabilities.Slots;
    }
}
