using System.Text.Json;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Modeling;
using SlmOps.Modeling.Training;

namespace SlmOps.Worker.Runs;

/// <summary>Where a re-queued run picks up: the step of the training checkpoint its work folder holds.</summary>
public static class ResumePoint
{
    /// <summary>The checkpoint's step, or null when the run starts from scratch.</summary>
    public static long? Read(string workDir)
    {
        if (!TrainingCheckpoint.Exists(workDir)) return null;
        var state = Path.Combine(TrainingCheckpoint.LatestPath(workDir), TrainingCheckpoint.StateFile);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(state), ModelingJson.Options)?.Step;
    }

    /// <summary>Writes a run event naming the step this attempt resumes from, when it resumes at all.</summary>
    public static void Log(SlmOpsDbContext db, RunContext context)
    {
        if (Read(context.Layout.WorkDir(context.Run.Id)) is not { } step) return;
        db.RunEvents.Add(new RunEvent
        {
            RunId = context.Run.Id, Attempt = context.Run.Attempt, Level = RunEventLevel.Info,
            Message = $"Resumed from the checkpoint at step {step}",
        });
        db.SaveChanges();
    }
}
