using MassTransit;
using Npgsql;
using SlmOps.Worker.Capabilities;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Retry only transient database trouble around the claim; a failing training is recorded as Failed by the
/// executor, not retried by redelivery. Concurrency is the worker's slot count.
/// </summary>
public sealed class RunConsumerDefinition<TConsumer>(WorkerCapabilities capabilities) : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context)
    {
        ConcurrentMessageLimit = capabilities.Slots;
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<NpgsqlException>();
            retry.Interval(3, TimeSpan.FromSeconds(2));
        });
    }
}
