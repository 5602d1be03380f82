using SlmOps.Artifacts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SlmOps.Serving;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServingServiceExtensions
{
    /// <summary>Serving: resident LLMs and the SLM cache (singletons for the process), and the per-request service.</summary>
    public static IServiceCollection AddServing(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ServingOptions.Section).Get<ServingOptions>() ?? new ServingOptions();
        if (options.CacheBytes < 1) throw new InvalidOperationException($"Serving:CacheBytes must be positive; got {options.CacheBytes}.");
        if (options.PoolBytes < 0) throw new InvalidOperationException($"Serving:PoolBytes must be 0 or more; got {options.PoolBytes}.");
        if (options.MaxTokens < 1) throw new InvalidOperationException($"Serving:MaxTokens must be positive; got {options.MaxTokens}.");
        if (options.MaxBatch < 1) throw new InvalidOperationException($"Serving:MaxBatch must be positive; got {options.MaxBatch}.");
        if (options.MaxQueued < 0) throw new InvalidOperationException($"Serving:MaxQueued must be 0 or more; got {options.MaxQueued}.");
        services.AddSingleton(options);
        var artifactsRoot = ArtifactStoreExtensions.Root(configuration);
        services.AddSingleton<IModelFolders>(provider => new ModelDirectories(artifactsRoot,
            new ArtifactCache(BlobSource(provider, options), options.FilesRoot ?? Path.Combine(artifactsRoot, "serving-cache"), options.FilesBytes),
            provider.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        services.AddSingleton<ResidentLlms>();
        services.AddSingleton<SlmCache>();
        services.AddSingleton<SlmServer>();
        services.AddSingleton<SlmPrefetcher>();
        services.AddSingleton<DeploymentIdentity>();
        services.AddSingleton<AliasMovedPrefetch>();
        services.TryAddScoped<SlmVersionResolver>();
        services.TryAddScoped<TeamAccess>();
        services.AddScoped<GenerationService>();
        services.AddScoped<SlmOps.Serving.OpenAi.ModelCatalog>();
        return services;
    }

    /// <summary>This host's own store, or another web host's artifact service when Serving:ArtifactsUrl is set.</summary>
    private static IBlobSource BlobSource(IServiceProvider provider, ServingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ArtifactsUrl)) return new StoreBlobSource(provider.GetRequiredService<SlmOps.Data.Artifacts.IArtifactStore>());
        if (!Uri.TryCreate(options.ArtifactsUrl, UriKind.Absolute, out var url))
            throw new InvalidOperationException($"Serving:ArtifactsUrl must be a web host's base URL; it is '{options.ArtifactsUrl}'.");
        if (string.IsNullOrWhiteSpace(options.ArtifactsKey))
            throw new InvalidOperationException("Serving:ArtifactsUrl is set but Serving:ArtifactsKey is not: give a viewer or worker key of that web host.");
        var http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", options.ArtifactsKey);
        return new ArtifactClient(http);
    }
}
