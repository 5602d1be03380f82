using Quartz;

namespace SlmOps.Web.Sweeper;

/// <summary>
/// Starts the clustered scheduler once the host has started, and keeps trying while the database is unreachable
/// or not migrated yet: the web host serves (and reports not-ready) instead of failing to start. Shuts the
/// scheduler down with the host, letting a running sweep finish.
/// </summary>
public sealed class SchedulerHostedService(
    ISchedulerFactory schedulers,
    SweeperOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<SchedulerHostedService> logger) : BackgroundService
{
    private IScheduler? _scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStartedAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _scheduler = await schedulers.GetScheduler(stoppingToken);
                await _scheduler.Start(stoppingToken);
                logger.LogInformation("Quartz scheduler {Name} started as instance {Instance}",
                    _scheduler.SchedulerName, _scheduler.SchedulerInstanceId);
                return;
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(error, "The Quartz scheduler could not start (is PostgreSQL up and migrated?); retrying in {Delay}",
                    options.StartRetryDelay);
                await Task.Delay(options.StartRetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_scheduler is not { } scheduler) return;
        try
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }
        catch (ObjectDisposedException error)
        {
            // Seen when the host tears down its services while Quartz is still shutting down: the scheduler is
            // going away either way, and its cluster check-in row expires on its own.
            logger.LogDebug(error, "The Quartz scheduler was already being disposed when the host stopped");
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        return started.Task;
    }
}
