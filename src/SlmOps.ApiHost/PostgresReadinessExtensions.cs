using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SlmOps.Hosting;

/// <summary>
/// The web host is the only process that talks to PostgreSQL, so its readiness check lives here, not in the shared host
/// code the worker also uses.
/// </summary>
public static class PostgresReadinessExtensions
{
    public static IHealthChecksBuilder AddPostgresReadinessCheck(this IHealthChecksBuilder checks) =>
        checks.AddCheck<PostgresReadinessCheck>("postgres", HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]);
}
