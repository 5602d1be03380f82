using SlmOps.Web.Serving;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServingHostExtensions
{
    /// <summary>The typed client of the serving host (ServingHost:Url, ServingHost:Key).</summary>
    public static IServiceCollection AddServingHostClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(ServingHostOptions.Section).Get<ServingHostOptions>() ?? new ServingHostOptions());
        // Generation can take minutes and streams as it goes: the request's own cancellation bounds it, not a client timeout.
        services.AddHttpClient<ServingClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
