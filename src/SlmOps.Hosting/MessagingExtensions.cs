using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SlmOps.Hosting;

public static class MessagingExtensions
{
    /// <summary>Binds <see cref="RabbitMqOptions"/> to the <c>RabbitMq</c> section (safe to call more than once).</summary>
    public static IServiceCollection AddRabbitMqOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection(RabbitMqOptions.SectionName));
        return services;
    }

    /// <summary>Points a MassTransit RabbitMQ bus at the configured broker, vhost and credentials.</summary>
    /// <remarks>Options are read when the bus is built, not at registration, so test hosts can override them.</remarks>
    public static void UseSlmOpsBroker(this IRabbitMqBusFactoryConfigurator bus, IBusRegistrationContext context)
    {
        var settings = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        bus.Host(settings.Host, settings.Port, settings.VirtualHost, host =>
        {
            host.Username(settings.Username);
            host.Password(settings.Password);
        });
    }
}
