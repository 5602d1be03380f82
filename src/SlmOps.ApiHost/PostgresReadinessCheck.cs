using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace SlmOps.Hosting;

/// <summary>Ready when a connection to the configured PostgreSQL database opens and answers a query.</summary>
internal sealed class PostgresReadinessCheck(IConfiguration configuration) : IHealthCheck
{
    private const string Service = "PostgreSQL";
    private const int ProbeTimeoutSeconds = 5;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return DependencyProbe.NotConfigured(Service, "ConnectionStrings:Postgres");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException error)
        {
            return DependencyProbe.Unreachable(Service, "(invalid ConnectionStrings:Postgres)", error);
        }

        var address = $"{builder.Host}:{builder.Port}";
        // A readiness probe must answer quickly; the application's own connections keep their timeout.
        builder.Timeout = Math.Min(builder.Timeout, ProbeTimeoutSeconds);
        builder.Pooling = false;
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return DependencyProbe.Reachable(Service, address);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return DependencyProbe.Unreachable(Service, address, error, $"database {builder.Database}");
        }
    }
}
