using System.Net;
using SlmOps.Artifacts;
using SlmOps.Worker.Capabilities;

namespace SlmOps.Worker.Tracking;

/// <summary>
/// Before the worker takes any message it proves its settings: the web host at Worker:ApiUrl answers, and
/// Worker:ApiKey is a live worker (or admin) key. A wrong or revoked key stops the process with a message naming
/// the setting; an unreachable web host is waited for (it may be starting) and then named too.
/// </summary>
public sealed class WorkerKeyCheck(TrackingClient tracking, WorkerOptions options, ILogger<WorkerKeyCheck> logger) : IHostedService
{
    public static readonly TimeSpan WaitForWebHost = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + WaitForWebHost;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var me = await tracking.WhoAmIAsync(cancellationToken);
                logger.LogInformation("Web host {Url} accepts this worker's key '{Name}' (role {Role})", options.ApiUrl, me.Name, me.Role);
                return;
            }
            catch (HttpRequestException error) when (error.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new InvalidOperationException(
                    $"The web host at Worker:ApiUrl ({options.ApiUrl}) refused Worker:ApiKey ({(int)error.StatusCode}): {error.Message}. " +
                    "Set Worker__ApiKey to a live worker key (SlmOps.Web create-worker-key makes one).", error);
            }
            catch (Exception error) when (Transient.Is(error) && DateTime.UtcNow < deadline)
            {
                logger.LogWarning("Web host at Worker:ApiUrl ({Url}) not reachable yet (try {Attempt}): {Reason}", options.ApiUrl, attempt, error.Message);
                await Task.Delay(Transient.Backoff(Math.Min(attempt, 4)), cancellationToken);
            }
            catch (Exception error) when (Transient.Is(error))
            {
                throw new InvalidOperationException(
                    $"The web host at Worker:ApiUrl ({options.ApiUrl}) did not answer within {WaitForWebHost.TotalSeconds:F0} s: {error.Message}. Check Worker__ApiUrl.", error);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
