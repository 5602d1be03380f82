using SlmOps.Web.Artifacts;

namespace Microsoft.Extensions.DependencyInjection;

public static class ArtifactServiceExtensions
{
    /// <summary>The artifact service's settings (Artifacts:MaxUploadBytes); the store itself comes from AddArtifactStore.</summary>
    public static IServiceCollection AddArtifactService(this IServiceCollection services, IConfiguration configuration)
    {
        return services.AddSingleton(configuration.GetSection(ArtifactOptions.SectionName).Get<ArtifactOptions>() ?? new ArtifactOptions());
    }
}
