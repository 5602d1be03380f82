using MassTransit;
using Microsoft.Extensions.Options;
using SlmOps.Hosting;
using SlmOps.Worker.Capabilities;

namespace SlmOps.Worker.Extensions;

public static class WorkerServiceExtensions
{
    public static IServiceCollection AddWorkerCapabilities(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName));
        services.AddSingleton<IComputeDeviceProbe, TorchDeviceProbe>();
        services.AddSingleton(provider => WorkerCapabilities.Detect(
            provider.GetRequiredService<IComputeDeviceProbe>(),
            provider.GetRequiredService<IOptions<WorkerOptions>>().Value));
        services.AddHostedService<CapabilityAnnouncer>();
        return services;
    }

    /// <summary>
    /// Connects to RabbitMQ and opens the worker's capability queue, so the worker is visibly registered
    /// (a consumer on slmops-worker-cpu / slmops-worker-cuda) before any run consumers exist.
    /// </summary>
    public static IServiceCollection AddWorkerMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRabbitMqOptions(configuration);
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseSlmOpsBroker(context);
                var capabilities = context.GetRequiredService<WorkerCapabilities>();
                rabbit.ReceiveEndpoint(capabilities.QueueName, endpoint =>
                {
                    // One message in flight per slot: a training run occupies its slot until it ends.
                    endpoint.PrefetchCount = capabilities.Slots;
                    endpoint.ConcurrentMessageLimit = capabilities.Slots;
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
