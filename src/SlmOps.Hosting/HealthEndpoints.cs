using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SlmOps.Hosting;

/// <summary>/health (liveness) and /health/ready (dependencies) shared by the web and worker hosts.</summary>
public static class HealthEndpoints
{
    /// <summary>Tag carried by every check that /health/ready evaluates.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Readiness of the broker; each host adds its other dependencies (the web host PostgreSQL, the worker the web host).</summary>
    public static IHealthChecksBuilder AddDependencyReadinessChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRabbitMqOptions(configuration);
        return services.AddHealthChecks()
            .AddCheck<RabbitMqReadinessCheck>("rabbitmq", HealthStatus.Unhealthy, [ReadyTag]);
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness runs no checks: it answers 200 for as long as the process can serve requests.
        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous(); // probes carry no credentials, and hosts with a deny-by-default policy must still answer
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();
        return endpoints;
    }
}
