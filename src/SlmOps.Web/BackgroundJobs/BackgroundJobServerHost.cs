using Hangfire;
using Hangfire.Common;

namespace SlmOps.Web.BackgroundJobs;

/// <summary>
/// This host's Hangfire server: starts it with the host (it waits out a database that is down on its own), stores
/// every declared <see cref="RecurringJobDefinition"/> (retrying until PostgreSQL answers), and on stop lets the
/// running jobs finish within the host's shutdown time.
/// </summary>
internal sealed partial class BackgroundJobServerHost(
    JobStorage storage,
    JobActivator activator,
    IJobFilterProvider filters,
    IRecurringJobManager recurringJobs,
    IEnumerable<RecurringJobDefinition> definitions,
    BackgroundJobsOptions options,
    ILogger<BackgroundJobServerHost> logger) : BackgroundService
{
    private BackgroundJobServer? _server;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = options.WorkerCount,
                SchedulePollingInterval = options.SchedulePollingInterval,
                Activator = activator,
                FilterProvider = filters,
            },
            storage);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var job in definitions)
                {
                    recurringJobs.AddOrUpdate(job.Id, job.Job, job.Cron, new RecurringJobOptions());
                }
                LogRegistered(definitions.Count());
                return;
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogRegistrationFailed(error.GetBaseException().Message, options.StartRetryDelay);
                await Task.Delay(options.StartRetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The test host may stop a host twice (StopAsync, then DisposeAsync); the server goes once.
        if (Interlocked.Exchange(ref _server, null) is not { } server) return;
        server.SendStop();
        await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        server.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hangfire server started; {Count} recurring jobs registered")]
    private partial void LogRegistered(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the recurring jobs (is PostgreSQL up?): {Reason}; retrying in {Delay}")]
    private partial void LogRegistrationFailed(string reason, TimeSpan delay);
}
