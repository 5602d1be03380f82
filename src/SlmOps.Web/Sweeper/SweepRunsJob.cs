using Quartz;

namespace SlmOps.Web.Sweeper;

/// <summary>The Quartz job around <see cref="RunSweeper"/>; one node of the cluster runs each firing.</summary>
[DisallowConcurrentExecution]
public sealed class SweepRunsJob(RunSweeper sweeper, ILogger<SweepRunsJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep-runs", "slmops");
    public static readonly TriggerKey TriggerKey = new("sweep-runs-every-interval", "slmops");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await sweeper.SweepAsync(cancellationToken);
        if (result.Requeued.Count + result.Failed.Count + result.Redispatched.Count + result.PrunedFolders.Count > 0)
        {
            logger.LogInformation(
                "Sweep: {Requeued} re-queued, {Failed} ended, {Redispatched} re-dispatched, {Pruned} work folders pruned",
                result.Requeued.Count, result.Failed.Count, result.Redispatched.Count, result.PrunedFolders.Count);
        }
    }
}
