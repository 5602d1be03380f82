using SlmOps.Contracts.Workers;
using SlmOps.Worker.Capabilities;

namespace SlmOps.Worker.Tracking;

/// <summary>
/// Tells the web host this worker is up, at start and every Worker:PresenceSeconds, whether it runs something or not,
/// so the dashboard lists an idle worker as online (the same worker the queue shows as a consumer). A failed report is
/// logged and the next one tried; it never stops the worker.
/// </summary>
public sealed class WorkerPresenceReporter(
    TrackingClient tracking, WorkerCapabilities capabilities, WorkerOptions options, ILogger<WorkerPresenceReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var presence = new WorkerPresence(capabilities.WorkerName, capabilities.Device, capabilities.Slots,
            typeof(WorkerPresenceReporter).Assembly.GetName().Version?.ToString());
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.PresenceSeconds));
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await tracking.PresenceAsync(presence, stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Presence report to the web host failed (next in {Seconds} s): {Reason}", interval.TotalSeconds, error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
