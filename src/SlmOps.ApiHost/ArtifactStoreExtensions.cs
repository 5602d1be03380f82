using SlmOps.Data.Artifacts;

// In the DI namespace so the host finds it without another using.
namespace Microsoft.Extensions.DependencyInjection;

public static class ArtifactStoreExtensions
{
    public const string RootSetting = "Artifacts:Root";

    /// <summary>The development stack's folder (relative to the working directory); outside Development Artifacts:Root is required.</summary>
    public const string DefaultRoot = ".slmops/artifacts";

    /// <summary>The artifact store's folder: Artifacts:Root (<see cref="DefaultRoot"/> where nothing sets it).</summary>
    public static string Root(IConfiguration configuration) =>
        configuration[RootSetting] is { Length: > 0 } root ? root : DefaultRoot;

    /// <summary>Registers the content-addressed <see cref="IArtifactStore"/> on the directory in Artifacts:Root.</summary>
    public static IServiceCollection AddArtifactStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IArtifactStore>(_ => new FileArtifactStore(Root(configuration)));
        return services;
    }
}
