using MassTransit;
using SlmOps.Hosting;

namespace SlmOps.Serving.Hosting;

public static class ServingMessaging
{
    /// <summary>
    /// The broker, for one thing: <see cref="Contracts.Events.AliasMoved"/> on this instance's own temporary queue (deleted
    /// when it stops), so every serving instance hears every move, unlike a shared queue where instances would compete.
    /// </summary>
    public static IServiceCollection AddServingMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRabbitMqOptions(configuration);
        // Started (its queue bound) before the host answers, so a move made right after start is not missed.
        services.AddOptions<MassTransitHostOptions>().Configure(options => options.WaitUntilStarted = true);
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.AddConsumer<AliasMovedPrefetch>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseSlmOpsBroker(context);
                rabbit.ReceiveEndpoint(new TemporaryEndpointDefinition("slmops-serving"), endpoint =>
                {
                    endpoint.ConcurrentMessageLimit = 1;
                    endpoint.ConfigureConsumer<AliasMovedPrefetch>(context);
                });
            });
        });
        return services;
    }
}
