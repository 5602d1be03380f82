using SlmOps.Web.Serving;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServingServiceExtensions
{
    /// <summary>Serving: resident LLMs and the SLM cache (singletons for the process), and the per-request service.</summary>
    public static IServiceCollection AddServing(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ServingOptions.Section).Get<ServingOptions>() ?? new ServingOptions();
        if (options.CacheBytes < 1) throw new InvalidOperationException($"Serving:CacheBytes must be positive; got {options.CacheBytes}.");
        if (options.MaxTokens < 1) throw new InvalidOperationException($"Serving:MaxTokens must be positive; got {options.MaxTokens}.");
        services.AddSingleton(options);
        services.AddSingleton(_ => new ModelDirectories(
            configuration[ArtifactStoreExtensions.RootSetting] is { Length: > 0 } root ? root : ArtifactStoreExtensions.DefaultRoot));
        services.AddSingleton<ResidentLlms>();
        services.AddSingleton<SlmCache>();
        services.AddSingleton<SlmServer>();
        services.AddSingleton<SlmPrefetcher>();
        services.AddSingleton<DeploymentIdentity>();
        services.AddSingleton<AliasMovedPrefetch>();
        services.AddScoped<SlmOps.Web.Registry.IAliasChangeRecorder, AliasPrefetchRecorder>();
        services.AddScoped<GenerationService>();
        return services;
    }
}
