namespace SlmOps.Contracts.Runs;

/// <summary>Training-loop settings shared by pretraining and fine-tuning; null means Modeling's default.</summary>
public sealed record TrainingSpec
{
    public int? Steps { get; init; }
    public int? BatchSize { get; init; }
    public int? BlockSize { get; init; }
    public double? LearningRate { get; init; }
    public int? WarmupSteps { get; init; }
    public int? EvalEvery { get; init; }
    public int? CheckpointEvery { get; init; }
    public long? Seed { get; init; }

    /// <summary>"cpu", "cuda" or "cuda:N"; decides which worker queue receives the run.</summary>
    public string Device { get; init; } = "cpu";
}
