using System.Text.Json;
using SlmOps.Modeling;
using SlmOps.Modeling.Training;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>
/// Where a re-queued run picks up: the newer of this worker's own checkpoint (same machine, earlier attempt) and the
/// one the web host recorded (uploaded by whichever worker ran before), fetched into the work folder. The ranks of a
/// gang spread over workers all resume from the recorded one (or all start over): a worker's own newer checkpoint would
/// put its rank at another step than the others.
/// </summary>
public static class ResumePoint
{
    public static void Prepare(RunContext context)
    {
        var work = context.Folders.WorkDir;
        if (context.Gang is not null && Directory.Exists(work)) Directory.Delete(work, recursive: true);
        var local = StepOf(work);
        if (context.Assignment.Checkpoint is { } remote && (local is null || local < remote.Step))
        {
            var fetched = context.Folder(remote.ManifestSha256);
            var latest = TrainingCheckpoint.LatestPath(work);
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
            LocalFiles.LinkOrCopyFolder(fetched, latest, relative => !relative.StartsWith('.'));
            local = StepOf(work);
        }
        if (local is { } step) context.Log("info", $"Resumed from the checkpoint at step {step}");
    }

    /// <summary>The step of the checkpoint in <paramref name="workDir"/>, or null when there is none.</summary>
    public static long? StepOf(string workDir)
    {
        if (!TrainingCheckpoint.Exists(workDir)) return null;
        var state = Path.Combine(TrainingCheckpoint.LatestPath(workDir), TrainingCheckpoint.StateFile);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(state), ModelingJson.Options)?.Step;
    }
}
