using SlmOps.Web.Tracking;
using SlmOps.Web.Tracking.Gangs;
using SlmOps.Web.Tracking.Registration;

// In the DI namespace so Program.cs finds AddTracking without another using.
namespace Microsoft.Extensions.DependencyInjection;

public static class TrackingServiceExtensions
{
    /// <summary>The web host as the tracking service: what workers report, written to PostgreSQL by this host alone.</summary>
    public static IServiceCollection AddTracking(this IServiceCollection services)
    {
        services.AddSingleton<RunEventPublisher>();
        services.AddScoped<StoredFolders>();
        services.AddScoped<RunInputResolver>();
        services.AddScoped<OutputRegistrar>();
        services.AddSingleton(provider =>
        {
            var gang = new GangOptions();
            provider.GetRequiredService<IConfiguration>().GetSection(GangOptions.SectionName).Bind(gang);
            return gang;
        });
        services.AddScoped<GangService>();
        services.AddScoped<RunClaimService>();
        services.AddScoped<RunHeartbeatService>();
        services.AddScoped<RunOutcomeService>();
        return services;
    }
}
