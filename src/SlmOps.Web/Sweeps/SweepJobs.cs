using Hangfire;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;

namespace SlmOps.Web.Sweeps;

/// <summary>
/// The Hangfire jobs of sweeps. <see cref="AdvanceAsync"/> is enqueued when a sweep is submitted or cancelled and when
/// one of its trials ends; the recurring <see cref="RecurringId"/> advances every running sweep each
/// <c>Sweeps:Interval</c>, the safety net for an enqueue lost with a host and for trials ended by the sweeper. Passes
/// over one sweep never overlap (<see cref="SweepLocks"/>), and a repeated pass changes nothing.
/// </summary>
public sealed class SweepJobs(SweepScheduler scheduler, SlmOpsDbContext db, ILogger<SweepJobs> logger)
{
    public const string RecurringId = "advance-sweeps";

    [AutomaticRetry(Attempts = 3)]
    public Task AdvanceAsync(Guid sweepId, CancellationToken cancellationToken) => scheduler.AdvanceAsync(sweepId, cancellationToken);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task AdvanceAllAsync(CancellationToken cancellationToken)
    {
        var running = await db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Sweep && r.Status == RunStatus.Running)
            .OrderBy(r => r.CreatedAt).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var sweep in running)
        {
            try
            {
                await scheduler.AdvanceAsync(sweep, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // One sweep's failure (shown in the log and its own jobs) must not hold up the others.
                logger.LogError(error, "Sweep {SweepId}: its pass failed; the next one retries", sweep);
                db.ChangeTracker.Clear();
            }
        }
    }
}
