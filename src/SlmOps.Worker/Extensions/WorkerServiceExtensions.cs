using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.Options;
using SlmOps.Artifacts;
using SlmOps.Contracts.Runs;
using SlmOps.Hosting;
using SlmOps.Worker.Capabilities;
using SlmOps.Worker.Runs;
using SlmOps.Worker.Tracking;

namespace SlmOps.Worker.Extensions;

public static class WorkerServiceExtensions
{
    public static IServiceCollection AddWorkerCapabilities(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName));
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<WorkerOptions>>().Value);
        services.AddSingleton<IComputeDeviceProbe, TorchDeviceProbe>();
        services.AddSingleton(provider => WorkerCapabilities.Detect(
            provider.GetRequiredService<IComputeDeviceProbe>(),
            provider.GetRequiredService<WorkerOptions>()));
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
            bus.AddConsumer<JoinGangConsumer, RunConsumerDefinition<JoinGangConsumer>>().ExcludeFromConfigureEndpoints();
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
                    endpoint.ConfigureConsumer<JoinGangConsumer>(context);
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

    /// <summary>
    /// Run execution: the web host's tracking and artifact services (Worker:ApiUrl, Worker:ApiKey), the local
    /// verified artifact cache, the handlers and the executor. No database: the worker needs only the broker and the web host.
    /// </summary>
    public static IServiceCollection AddWorkerRuns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient<TrackingClient>(ConfigureWebHost).ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(60));
        // Artifacts can be gigabytes: no overall timeout; a stalled transfer is cut by the connection's own timeouts.
        services.AddHttpClient<ArtifactClient>(ConfigureWebHost).ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<WorkerOptions>();
            var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ArtifactClient));
            ConfigureWebHost(provider, client);
            client.Timeout = Timeout.InfiniteTimeSpan;
            return new ArtifactCache(new ArtifactClient(client), Path.Combine(RunExecutor.CacheRoot(options), "artifacts"), options.CacheBytes);
        });
        services.AddHostedService<WorkerKeyCheck>();
        services.AddHostedService<WorkerPresenceReporter>(); // after the key check, so the first report carries a checked key
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<RunHandlers>();
        services.AddScoped<RunExecutor>();
        return services;
    }

    private static void ConfigureWebHost(IServiceProvider provider, HttpClient http)
    {
        var options = provider.GetRequiredService<WorkerOptions>();
        if (string.IsNullOrWhiteSpace(options.ApiUrl) || !Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var url))
            throw new InvalidOperationException($"Worker:ApiUrl must be the web host's base URL (e.g. http://127.0.0.1:5080); it is '{options.ApiUrl}'. Set Worker__ApiUrl.");
        if (string.IsNullOrWhiteSpace(options.ApiKey))
            throw new InvalidOperationException("Worker:ApiKey is not set. Make a worker key with `SlmOps.Web create-worker-key` and set Worker__ApiKey.");
        http.BaseAddress = url;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey.Trim());
    }
}
