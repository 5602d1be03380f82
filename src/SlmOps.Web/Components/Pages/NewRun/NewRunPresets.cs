namespace SlmOps.Web.Components.Pages.NewRun;

/// <summary>Sizes a preset fills into the new-run form.</summary>
public sealed record NewRunPreset(
    string Name, string Description, string LlmPreset, string SlmPreset, int Steps, int BatchSize, int BlockSize, int SlmBlockSize,
    double LearningRate, int WarmupSteps, int EvalEvery, int CheckpointEvery, long Seed, int EvaluateBatches);

public static class NewRunPresets
{
    /// <summary>Seconds on a CPU: a smoke test of the whole pipeline.</summary>
    public static readonly NewRunPreset Tiny = new("tiny", "tiny-fft models, 20 steps of 4×32 tokens (seconds on a CPU)",
        "tiny-fft", "tiny-fft", Steps: 20, BatchSize: 4, BlockSize: 32, SlmBlockSize: 32, LearningRate: 1e-3, WarmupSteps: 0,
        EvalEvery: 10, CheckpointEvery: 10, Seed: 7, EvaluateBatches: 2);

    /// <summary>The paper's sizes: a 36.3M-parameter fft LLM (T=430) and a 9.76M SLM (T=370); hours on a GPU.</summary>
    public static readonly NewRunPreset Paper = new("paper", "the paper's LLM (36.3M, T=430) and SLM (9.76M, T=370); use a cuda device",
        "paper-llm", "paper-slm", Steps: 20_000, BatchSize: 32, BlockSize: 430, SlmBlockSize: 370, LearningRate: 3e-4, WarmupSteps: 500,
        EvalEvery: 500, CheckpointEvery: 1000, Seed: 1, EvaluateBatches: 32);

    public static IReadOnlyList<NewRunPreset> All { get; } = [Tiny, Paper];
}
