using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SlmOps.Data.Hosting;

namespace SlmOps.Hosting;

/// <summary>
/// The web host is the only process that talks to PostgreSQL, so its development connection string and its readiness
/// check live here, not in the shared host code the worker also uses.
/// </summary>
public static class PostgresReadinessExtensions
{
    /// <summary>The local stack's connection string (<b>dev-only</b>) at the lowest precedence, as the broker's are.</summary>
    public static IConfigurationBuilder AddPostgresDevelopmentDefault(this IConfigurationBuilder configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = SlmOpsDataOptions.DevelopmentConnectionString },
        });
        return configuration;
    }

    public static IHealthChecksBuilder AddPostgresReadinessCheck(this IHealthChecksBuilder checks) =>
        checks.AddCheck<PostgresReadinessCheck>("postgres", HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]);
}
