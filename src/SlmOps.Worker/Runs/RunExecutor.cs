using SlmOps.Artifacts;
using SlmOps.Contracts;
using SlmOps.Contracts.Workers;
using SlmOps.Worker.Capabilities;
using SlmOps.Worker.Runs.Handlers;
using SlmOps.Worker.Tracking;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Executes one run command: claims it through the web host, runs its handler on a dedicated thread, sends a
/// heartbeat (progress, metric points, log lines; answered with the cancel flag) every 2 s, uploads checkpoints as
/// they are written, and reports the outcome. The worker never touches PostgreSQL; the web host records it all.
/// </summary>
public sealed class RunExecutor(
    TrackingClient tracking,
    ArtifactClient artifacts,
    ArtifactCache cache,
    RunHandlers handlers,
    WorkerCapabilities capabilities,
    WorkerOptions options,
    RunCancellations cancellations,
    ILogger<RunExecutor> logger)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After a refused rank claim the slot stays taken this long, so the rank the web host offers again goes to another
    /// worker rather than straight back to this one.
    /// </summary>
    public static readonly TimeSpan RefusedRankPause = TimeSpan.FromSeconds(2);

    /// <param name="rank">Above 0: a JoinGang offered this rank of a gang-scheduled run; 0: the run's own command.</param>
    public async Task ExecuteAsync(Guid runId, int attempt, CancellationToken messageCancellation, int rank = 0)
    {
        RunClaimResponse claim;
        try
        {
            var request = new RunClaimRequest(attempt, capabilities.WorkerName, capabilities.Device, capabilities.Slots, capabilities.Ranks);
            claim = rank == 0
                ? await tracking.ClaimAsync(runId, request, messageCancellation)
                : await tracking.ClaimRankAsync(runId, rank, request, messageCancellation);
        }
        catch (UnknownRunException error)
        {
            logger.LogWarning("Dropping the command for run {RunId} attempt {Attempt}: {Reason}", runId, attempt, error.Message);
            return;
        }
        if (!claim.Claimed || claim.Assignment is not { } assignment)
        {
            logger.LogInformation("Run {RunId} attempt {Attempt}{Rank} not claimable: {Reason}", runId, attempt, rank == 0 ? "" : $" rank {rank}", claim.Reason);
            if (rank > 0) await Task.Delay(RefusedRankPause, messageCancellation);
            return;
        }

        var gangRank = assignment.Gang?.Rank ?? 0;
        var folders = new RunFolders(CacheRoot(options), runId, attempt);
        var reporter = new RunReporter(runId, attempt, capabilities.WorkerName, tracking, gangRank);
        await using var uploader = new CheckpointUploader(folders, attempt, artifacts, tracking, logger);
        using var cancel = new CancellationTokenSource();
        using var registration = cancellations.Register(runId, cancel);
        var context = new RunContext
        {
            Assignment = assignment, Folders = folders, Cache = cache, Artifacts = artifacts, Cancellation = cancel.Token,
            Report = reporter.Report, Metric = reporter.Metric, Log = reporter.Log,
            FlushMetrics = () =>
            {
                // Answered like a heartbeat: a stop decided on the flushed points takes effect before the next step.
                var answer = reporter.FlushAsync(cancel.Token).GetAwaiter().GetResult();
                if (answer.CancelRequested || !answer.Holds) cancel.Cancel();
            },
            CheckpointSaved = uploader.Saved,
            Gang = assignment.Gang is { } gang ? new GangLink(tracking, runId, attempt, gang, capabilities.WorkerName, capabilities.Address, cancel.Token) : null,
        };
        var work = new TaskCompletionSource<RunOutput?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { work.SetResult(handlers.Execute(context)); }
            catch (Exception error) { work.SetException(error); }
            finally { context.ReleaseInputs(); }
        }) { IsBackground = true, Name = $"run-{runId:N}" };
        thread.Start();

        var lost = false;
        while (!work.Task.IsCompleted)
        {
            await Task.WhenAny(work.Task, Task.Delay(HeartbeatInterval, CancellationToken.None));
            lost |= !await BeatAsync(reporter, cancel, runId);
        }

        var outcome = await OutcomeAsync(work.Task, cancel.IsCancellationRequested, attempt, assignment.Gang is not null);
        if (gangRank > 0)
        {
            await EndRankAsync(reporter, outcome, folders, runId, gangRank);
            return;
        }
        try
        {
            await reporter.SendAsync(CancellationToken.None); // the last points and lines before the outcome
            if (lost)
            {
                logger.LogWarning("Run {RunId} attempt {Attempt} ended after it lost the run (re-queued); its outcome is not reported", runId, attempt);
                return;
            }
            var answer = await tracking.OutcomeAsync(runId, outcome, CancellationToken.None);
            logger.LogInformation("Run {RunId} attempt {Attempt} ended {Status}{Outputs}", runId, attempt, answer?.Status.ToString() ?? "(not recorded: the attempt no longer holds the run)",
                answer is null ? "" : ": " + string.Join(", ", answer.Outputs.Select(o => $"{o.Key}={o.Value}")));
            if (answer is not null) folders.DeleteAll();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The web host stays unreachable: the run stops heart-beating and the sweeper re-queues it (it resumes from
            // its uploaded checkpoint), so nothing is lost but time.
            logger.LogError(error, "Run {RunId} attempt {Attempt}: its outcome could not be reported", runId, attempt);
        }
    }

    /// <summary>
    /// Another rank than 0 of a gang reports no outcome (rank 0's is the run's): its last lines go with a final heartbeat,
    /// a failure among them, so the run's event log says which rank failed and why.
    /// </summary>
    private async Task EndRankAsync(RunReporter reporter, RunOutcome outcome, RunFolders folders, Guid runId, int rank)
    {
        if (outcome.Status == RunStatus.Failed) reporter.Log("error", $"stopped: {outcome.Error}");
        try { await reporter.SendAsync(CancellationToken.None); }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning("Run {RunId} rank {Rank}: its last lines could not be sent ({Reason})", runId, rank, error.Message);
        }
        logger.LogInformation("Run {RunId} attempt {Attempt} rank {Rank} ended {Status}", runId, outcome.Attempt, rank, outcome.Status);
        if (outcome.Status == RunStatus.Succeeded || outcome.Status == RunStatus.Cancelled) folders.DeleteAll();
    }

    /// <returns>False once the web host says this attempt no longer holds the run.</returns>
    private async Task<bool> BeatAsync(RunReporter reporter, CancellationTokenSource cancel, Guid runId)
    {
        try
        {
            var answer = await reporter.SendAsync(CancellationToken.None);
            if (answer.CancelRequested || !answer.Holds) await cancel.CancelAsync();
            if (!answer.Holds) logger.LogWarning("Run {RunId}: the web host says this attempt no longer holds the run; stopping it", runId);
            return answer.Holds;
        }
        catch (Exception error) when (error is not UnknownRunException)
        {
            logger.LogWarning("Run {RunId}: heartbeat failed ({Reason}); its points are kept for the next one", runId, error.Message);
            return true;
        }
        catch (UnknownRunException)
        {
            await cancel.CancelAsync(); // deleted while it ran
            return false;
        }
    }

    private async Task<RunOutcome> OutcomeAsync(Task<RunOutput?> work, bool cancelled, int attempt, bool gang)
    {
        try
        {
            var output = await work;
            if (output is null || cancelled)
                return new RunOutcome { Attempt = attempt, Worker = capabilities.WorkerName, Status = RunStatus.Cancelled };
            return new RunOutcome
            {
                Attempt = attempt, Worker = capabilities.WorkerName, Status = RunStatus.Succeeded,
                Prepared = output.Prepared, Model = output.Model, Evaluation = output.Evaluation,
            };
        }
        catch (Exception error) when (cancelled && (error is OperationCanceledException || (gang && GangFailures.IsRetryable(error))))
        {
            // Stopped while fetching inputs or uploading outputs rather than at a step boundary, or a gang cancelled while
            // it was still forming (its join timed out): still a cancellation.
            return new RunOutcome { Attempt = attempt, Worker = capabilities.WorkerName, Status = RunStatus.Cancelled };
        }
        catch (Exception error)
        {
            logger.LogError(error, "Run attempt {Attempt} failed", attempt);
            return new RunOutcome
            {
                Attempt = attempt, Worker = capabilities.WorkerName, Status = RunStatus.Failed, Error = Message(error),
                Retryable = gang && GangFailures.IsRetryable(error),
            };
        }
    }

    private static string Message(Exception error) => error is AggregateException { InnerExceptions.Count: > 0 } all
        ? all.InnerExceptions[0].GetBaseException().Message
        : error.GetBaseException().Message;

    public static string CacheRoot(WorkerOptions options) =>
        Path.GetFullPath(options.CacheRoot is { Length: > 0 } root ? root : ".slmops/worker-cache");
}
