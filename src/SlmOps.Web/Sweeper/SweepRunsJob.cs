using Hangfire;

namespace SlmOps.Web.Sweeper;

/// <summary>
/// The recurring Hangfire job <see cref="Id"/> around <see cref="RunSweeper"/>, every <c>Sweeper:Interval</c>. Hangfire's
/// distributed lock keeps two sweeps from overlapping whichever web instances run them; a failed sweep is not
/// retried (the next one comes soon) and shows as failed in /hangfire.
/// </summary>
public sealed class SweepRunsJob(RunSweeper sweeper, ILogger<SweepRunsJob> logger)
{
    public const string Id = "sweep-runs";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await sweeper.SweepAsync(cancellationToken);
        if (result.Requeued.Count + result.Failed.Count + result.Redispatched.Count > 0)
        {
            logger.LogInformation("Sweep: {Requeued} re-queued, {Failed} ended, {Redispatched} re-dispatched",
                result.Requeued.Count, result.Failed.Count, result.Redispatched.Count);
        }
        return result;
    }
}
