using SlmOps.Contracts.Runs;
using SlmOps.Modeling.Training;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>A spec's training settings over Modeling's defaults (null means the default).</summary>
public static class TrainingSettings
{
    public static TrainingOptions From(TrainingSpec spec)
    {
        var defaults = new TrainingOptions();
        var steps = spec.Steps ?? defaults.Steps;
        return defaults with
        {
            Steps = steps, BatchSize = spec.BatchSize ?? defaults.BatchSize, BlockSize = spec.BlockSize,
            LearningRate = spec.LearningRate ?? defaults.LearningRate, WarmupSteps = spec.WarmupSteps ?? Math.Min(defaults.WarmupSteps, steps / 10),
            EvalEvery = spec.EvalEvery ?? defaults.EvalEvery, CheckpointEvery = spec.CheckpointEvery ?? defaults.CheckpointEvery,
            Seed = spec.Seed ?? defaults.Seed, Device = spec.Device,
        };
    }

    /// <summary>
    /// Reports each step (and its validation loss on evaluation steps); on a checkpoint step it also sends the points first, because the trainer writes the
    /// checkpoint right after and a resumed attempt replays only the steps after it.
    /// </summary>
    public static Action<TrainingProgress> Progress(RunContext context, TrainingOptions training) => p =>
    {
        context.Report(p.Step, training.Steps, p.Loss, p.TokensPerSecond, p.LearningRate);
        // The validation loss of every training.evalEvery steps: what a sweep ranks its trials by and stops them on.
        if (p.ValLoss is { } valLoss) context.Metric("eval/val_loss", p.Step, valLoss);
        if (training.CheckpointEvery > 0 && p.Step % training.CheckpointEvery == 0) context.FlushMetrics();
    };
}
