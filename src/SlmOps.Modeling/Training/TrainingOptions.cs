namespace SlmOps.Modeling.Training;

public sealed record TrainingOptions
{
    public int Steps { get; init; } = 1000;
    public int BatchSize { get; init; } = 16;
    /// <summary>Block length; null means the objective's longest.</summary>
    public int? BlockSize { get; init; }
    public double LearningRate { get; init; } = 3e-4;
    public double MinLearningRate { get; init; } = 3e-5;
    public int WarmupSteps { get; init; } = 100;
    public double WeightDecay { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    /// <summary>Global gradient-norm clip; 0 disables.</summary>
    public double GradClip { get; init; } = 1.0;
    /// <summary>Evaluate on the validation tokens every N steps (and at the end); 0 disables.</summary>
    public int EvalEvery { get; init; }
    public int EvalBatches { get; init; } = 8;
    /// <summary>Write a checkpoint every N steps (and at the end / on cancel) when a directory is given; 0 = only at the end.</summary>
    public int CheckpointEvery { get; init; }
    public long Seed { get; init; } = 1;
    /// <summary>"cpu", "cuda", "cuda:1".</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>bf16 autocast for forward passes on CUDA (ignored on CPU).</summary>
    public bool Bf16Autocast { get; init; } = true;

    public WarmupCosineSchedule Schedule => new(LearningRate, MinLearningRate, WarmupSteps, Steps);
}

/// <summary>Reported after every step.</summary>
public sealed record TrainingProgress(long Step, double Loss, double TokensPerSecond, double LearningRate, double? ValLoss);

public sealed record TrainingResult(
    long StepsCompleted,
    bool Cancelled,
    IReadOnlyList<double> Losses,
    IReadOnlyList<(long Step, double Loss)> ValLosses,
    double MedianStepMs,
    double TokensPerSecond,
    long TrainableParameters);
