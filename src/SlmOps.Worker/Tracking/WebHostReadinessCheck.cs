using Microsoft.Extensions.Diagnostics.HealthChecks;
using SlmOps.Hosting;
using SlmOps.Worker.Capabilities;

namespace SlmOps.Worker.Tracking;

/// <summary>Ready when the web host at Worker:ApiUrl answers the worker's key (the worker's only other dependency besides the broker).</summary>
public sealed class WebHostReadinessCheck(TrackingClient tracking, WorkerOptions options) : IHealthCheck
{
    private const string Service = "SlmOps web host";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await tracking.WhoAmIAsync(timeout.Token);
            return DependencyProbe.Reachable(Service, options.ApiUrl ?? "");
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            return DependencyProbe.Unreachable(Service, options.ApiUrl ?? "(Worker:ApiUrl not set)", error);
        }
    }
}
