using Hangfire;

namespace SlmOps.Web.Sweeper;

/// <summary>
/// The recurring Hangfire job <see cref="Id"/> around <see cref="CheckpointPruner"/>, every <c>Sweeper:PruneInterval</c>;
/// it answers how many work folders it removed. Never two at once, not retried (the next run retries).
/// </summary>
public sealed class PruneCheckpointsJob(CheckpointPruner pruner, TimeProvider time)
{
    public const string Id = "prune-checkpoints";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        (await pruner.PruneAsync(time.GetUtcNow(), cancellationToken)).Count;
}
