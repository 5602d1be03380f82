using System.Text.Json;
using SlmOps.Modeling;
using SlmOps.Modeling.Training;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>
/// Where a re-queued run picks up: the newer of this worker's own checkpoint (same machine, earlier attempt) and the
/// one the web host recorded (uploaded by whichever worker ran before), fetched into the work folder.
/// </summary>
public static class ResumePoint
{
    public static void Prepare(RunContext context)
    {
        var work = context.Folders.WorkDir;
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

    private static long? StepOf(string workDir)
    {
        if (!TrainingCheckpoint.Exists(workDir)) return null;
        var state = Path.Combine(TrainingCheckpoint.LatestPath(workDir), TrainingCheckpoint.StateFile);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(state), ModelingJson.Options)?.Step;
    }
}
