using SlmOps.Web.Teams;

namespace Microsoft.Extensions.DependencyInjection;

public static class TeamsServiceExtensions
{
    /// <summary>The team rules (<see cref="TeamAccess"/>), team management and read shares.</summary>
    public static IServiceCollection AddTeams(this IServiceCollection services) => services
        .AddScoped<TeamAccess>()
        .AddScoped<TeamService>()
        .AddScoped<ShareService>();
}
