using SlmOps.Artifacts;
using SlmOps.Contracts.Workers;
using SlmOps.Modeling.Training;
using SlmOps.Worker.Tracking;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Copies each mid-run training checkpoint off the machine without stalling training: on the training thread the
/// finished checkpoint is hard-linked into a snapshot folder (the trainer replaces <c>latest</c> next time, the links
/// keep these bytes); a background task uploads its files and manifest to the artifact service and reports it, so
/// a re-queued run resumes on any worker. When checkpoints come faster than uploads, only the newest waits.
/// </summary>
public sealed class CheckpointUploader(RunFolders folders, int attempt, ArtifactClient artifacts, TrackingClient tracking, ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private (long Step, string Dir)? _pending;
    private Task _uploading = Task.CompletedTask;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The newest step whose checkpoint the web host recorded.</summary>
    public long? UploadedStep { get; private set; }

    /// <summary>Call on the training thread right after the checkpoint at <paramref name="step"/> is complete.</summary>
    public void Saved(long step)
    {
        var snapshot = Path.Combine(folders.UploadsDir, step.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Directory.Exists(snapshot)) Directory.Delete(snapshot, recursive: true);
        LocalFiles.LinkOrCopyFolder(TrainingCheckpoint.LatestPath(folders.WorkDir), snapshot);
        lock (_gate)
        {
            if (_pending is { } stale) TryDelete(stale.Dir);
            _pending = (step, snapshot);
            if (_uploading.IsCompleted) _uploading = Task.Run(DrainAsync);
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            (long Step, string Dir) next;
            lock (_gate)
            {
                if (_pending is null) return;
                next = _pending.Value;
                _pending = null;
            }
            try
            {
                var (manifestSha, _) = await artifacts.UploadFolderAsync(next.Dir, _stop.Token);
                await tracking.CheckpointAsync(folders.RunId, new RunCheckpointReport(attempt, next.Step, manifestSha), _stop.Token);
                UploadedStep = next.Step;
            }
            catch (Exception error) when (error is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                // The next checkpoint tries again; until then a resume starts from the previous one.
                logger.LogWarning("Run {RunId}: uploading the checkpoint of step {Step} failed: {Reason}", folders.RunId, next.Step, error.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                TryDelete(next.Dir);
            }
        }
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>Stops a pending upload (the run is over: its checkpoint is no longer needed).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _uploading; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
