using MassTransit;
using SlmOps.Hosting;

namespace SlmOps.Web.Extensions;

public static class MessagingServiceExtensions
{
    /// <summary>The web host only publishes commands; it has no consumers of its own.</summary>
    public static IServiceCollection AddWebMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRabbitMqOptions(configuration);
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseSlmOpsBroker(context);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
