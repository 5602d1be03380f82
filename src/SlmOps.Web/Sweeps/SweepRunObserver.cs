using Hangfire;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Sweeps;

/// <summary>Enqueues a pass of the sweep concerned: a cancelled sweep (it cancels its trials), or a trial that ended or was cancelled while queued (room for the next).</summary>
public sealed class SweepRunObserver(SlmOpsDbContext db, IBackgroundJobClient jobs) : IRunObserver
{
    public async Task CancelRequestedAsync(Run run, CancellationToken ct)
    {
        if (run.Kind == RunKind.Sweep) Enqueue(run.Id);
        else if (run.Status == RunStatus.Cancelled && await SweepOfAsync(run.Id, ct) is { } sweep) Enqueue(sweep);
    }

    public async Task EndedAsync(Guid runId, CancellationToken ct)
    {
        if (await SweepOfAsync(runId, ct) is { } sweep) Enqueue(sweep);
    }

    private Task<Guid?> SweepOfAsync(Guid runId, CancellationToken ct) =>
        db.SweepTrials.AsNoTracking().Where(t => t.RunId == runId).Select(t => (Guid?)t.SweepRunId).FirstOrDefaultAsync(ct);

    private void Enqueue(Guid sweepId) => jobs.Enqueue<SweepJobs>(job => job.AdvanceAsync(sweepId, CancellationToken.None));
}
