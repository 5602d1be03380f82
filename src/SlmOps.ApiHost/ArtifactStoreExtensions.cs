using SlmOps.Data.Artifacts;

// In the DI namespace so both hosts (this file is linked into the worker) find it without another using.
namespace Microsoft.Extensions.DependencyInjection;

public static class ArtifactStoreExtensions
{
    public const string RootSetting = "Artifacts:Root";
    public const string DefaultRoot = ".slmops/artifacts";

    /// <summary>Registers the content-addressed <see cref="IArtifactStore"/> on the directory in Artifacts:Root
    /// (default <c>.slmops/artifacts</c>, relative to the working directory).</summary>
    public static IServiceCollection AddArtifactStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IArtifactStore>(_ =>
            new FileArtifactStore(configuration[RootSetting] is { Length: > 0 } root ? root : DefaultRoot));
        return services;
    }
}
