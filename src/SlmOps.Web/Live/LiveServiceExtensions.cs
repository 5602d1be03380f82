using SlmOps.Web.Live;

namespace Microsoft.Extensions.DependencyInjection;

public static class LiveServiceExtensions
{
    /// <summary>The hub dashboard pages subscribe to and the per-instance queue that feeds it.</summary>
    public static IServiceCollection AddLiveRunEvents(this IServiceCollection services)
    {
        services.AddSingleton<RunEventHub>();
        services.AddSingleton<RunEventEndpoint>();
        services.AddHostedService(provider => provider.GetRequiredService<RunEventEndpoint>());
        return services;
    }
}
