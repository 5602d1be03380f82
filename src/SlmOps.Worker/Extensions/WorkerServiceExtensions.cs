using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SlmOps.Hosting;
using SlmOps.Contracts.Runs;
using SlmOps.Data.Artifacts;
using SlmOps.Worker.Capabilities;
using SlmOps.Worker.Runs;

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
            bus.AddConsumer<PrepareDatasetConsumer, RunConsumerDefinition<PrepareDatasetConsumer>>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<TrainBaseModelConsumer, RunConsumerDefinition<TrainBaseModelConsumer>>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<TrainTaskModelConsumer, RunConsumerDefinition<TrainTaskModelConsumer>>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<EvaluateModelConsumer, RunConsumerDefinition<EvaluateModelConsumer>>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<CancelRunConsumer>().ExcludeFromConfigureEndpoints();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseSlmOpsBroker(context);
                var capabilities = context.GetRequiredService<WorkerCapabilities>();
                var queue = RunQueues.QueueName(configuration[RunQueues.PrefixKey], capabilities.Device);
                rabbit.ReceiveEndpoint(queue, endpoint =>
                {
                    endpoint.SetQueueArgument("x-max-priority", (int)RunQueues.MaxPriority);
                    endpoint.ConfigureConsumer<PrepareDatasetConsumer>(context);
                    endpoint.ConfigureConsumer<TrainBaseModelConsumer>(context);
                    endpoint.ConfigureConsumer<TrainTaskModelConsumer>(context);
                    endpoint.ConfigureConsumer<EvaluateModelConsumer>(context);
                    // One message in flight per slot: a training run occupies its slot until it ends.
                    endpoint.PrefetchCount = capabilities.Slots;
                    endpoint.ConcurrentMessageLimit = capabilities.Slots;
                });
                // CancelRun is published to every worker: each process gets its own auto-deleted queue.
                rabbit.ReceiveEndpoint(new TemporaryEndpointDefinition("worker-cancel"), endpoint => endpoint.ConfigureConsumer<CancelRunConsumer>(context));
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }

    /// <summary>Run execution: database, artifact store and folder layout, handlers and the executor.</summary>
    public static IServiceCollection AddWorkerRuns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSlmOpsData(configuration,
            data => data.MigrateOnStartup = configuration.GetValue("Database:MigrateOnStartup", false));
        var root = configuration["Artifacts:Root"] is { Length: > 0 } configured ? configured : ".slmops/artifacts";
        services.TryAddSingleton<IArtifactStore>(_ => new FileArtifactStore(root));
        services.AddSingleton(new ArtifactLayout(root));
        services.AddSingleton<EvaluateHandler>();
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<RunHandlers>();
        services.AddScoped<RunExecutor>();
        return services;
    }
}
