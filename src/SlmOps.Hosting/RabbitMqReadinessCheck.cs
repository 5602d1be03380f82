using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace SlmOps.Hosting;

/// <summary>Ready when an AMQP connection to the configured vhost opens with the configured credentials.</summary>
internal sealed class RabbitMqReadinessCheck(IOptions<RabbitMqOptions> options) : IHealthCheck
{
    private const string Service = "RabbitMQ";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var factory = settings.CreateConnectionFactory("slmops-readiness-probe");
        factory.RequestedConnectionTimeout = ProbeTimeout;
        factory.AutomaticRecoveryEnabled = false;
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return DependencyProbe.Reachable(Service, settings.Address);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return DependencyProbe.Unreachable(Service, settings.Address, error, $"vhost {settings.VirtualHost}");
        }
    }
}
