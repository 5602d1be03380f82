using SlmOps.Contracts;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-").FullName;
    private static readonly int[] Train = CoupledTrainingTests.PatternTokens(3000, seed: 1);
    private static readonly int[] Val = CoupledTrainingTests.PatternTokens(600, seed: 2);
    private static readonly TrainingOptions Options = new()
    {
        Steps = 10, BatchSize = 4, LearningRate = 5e-3, MinLearningRate = 5e-4, WarmupSteps = 3, EvalEvery = 5, EvalBatches = 2, Seed = 7,
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A fresh LLM + tokens-mode SLM: sampling makes the run depend on the RNG, which the checkpoint must carry.</summary>
    private static CoupledObjective Objective(int initSeed)
    {
        torch.manual_seed(100); // the frozen LLM is the same in every run
        var llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(19, 16)));
        torch.manual_seed(initSeed);
        var slm = new FftLanguageModel(ModelPresets.TinyFft(19, 12) with { Width = 24, Layers = 1 });
        return new CoupledObjective(llm, new SlmFollower(slm, new CouplingOptions { Mode = CouplingMode.Tokens }, 32));
    }

    [Fact]
    public void A_resumed_run_continues_the_same_loss_curve_as_an_uninterrupted_one()
    {
        var uninterruptedObjective = Objective(initSeed: 1);
        var uninterrupted = new Trainer(Options).Run(uninterruptedObjective, Train, Val);

        using var cts = new CancellationTokenSource();
        var first = new Trainer(Options).Run(Objective(initSeed: 1), Train, Val, _dir,
            progress: p => { if (p.Step == 4) cts.Cancel(); }, cancellation: cts.Token);
        Assert.True(first.Cancelled);
        Assert.Equal(4, first.StepsCompleted);

        // Different initial weights and a scrambled global RNG: everything must come from the checkpoint.
        torch.manual_seed(12345);
        var resumedObjective = Objective(initSeed: 999);
        var resumed = new Trainer(Options).Run(resumedObjective, Train, Val, _dir);

        Assert.False(resumed.Cancelled);
        Assert.Equal(10, resumed.StepsCompleted);
        Assert.Equal(uninterrupted.Losses, resumed.Losses);
        Assert.Equal(uninterrupted.ValLosses, resumed.ValLosses);
        Assert.Equal(WeightsHash.Of(uninterruptedObjective.Trainable), WeightsHash.Of(resumedObjective.Trainable));
    }

    [Fact]
    public void Progress_reports_every_step_with_the_scheduled_learning_rate_and_evaluations()
    {
        var reports = new List<TrainingProgress>();
        var result = new Trainer(Options).Run(Objective(initSeed: 1), Train, Val, progress: reports.Add);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), reports.Select(r => r.Step));
        for (var i = 0; i < 10; i++) Assert.Equal(Options.Schedule.At(i), reports[i].LearningRate, 12);
        Assert.Equal([5L, 10L], result.ValLosses.Select(v => v.Step));
        Assert.Equal([5L, 10L], reports.Where(r => r.ValLoss is not null).Select(r => r.Step));
        Assert.All(reports, r => Assert.True(r.TokensPerSecond > 0 && double.IsFinite(r.Loss)));
    }

    [Fact]
    public void A_tampered_checkpoint_is_refused()
    {
        using var cts = new CancellationTokenSource();
        new Trainer(Options).Run(Objective(1), Train, Val, _dir, p => { if (p.Step == 2) cts.Cancel(); }, cts.Token);
        var weights = Path.Combine(TrainingCheckpoint.LatestPath(_dir), TrainingCheckpoint.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        Assert.Throws<InvalidDataException>(() => new Trainer(Options).Run(Objective(1), Train, Val, _dir));
    }

    [Fact]
    public void A_crash_between_the_two_renames_of_a_save_resumes_from_the_previous_checkpoint()
    {
        var uninterrupted = new Trainer(Options).Run(Objective(initSeed: 1), Train, Val);
        using var cts = new CancellationTokenSource();
        new Trainer(Options).Run(Objective(1), Train, Val, _dir, p => { if (p.Step == 4) cts.Cancel(); }, cts.Token);
        var latest = TrainingCheckpoint.LatestPath(_dir);
        // The state Save leaves when killed after moving latest aside and before moving the new one in.
        Directory.Move(latest, latest + ".previous");
        Directory.CreateDirectory(latest + ".writing");
        File.WriteAllText(Path.Combine(latest + ".writing", "partial"), "");

        Assert.True(TrainingCheckpoint.Exists(_dir));
        var resumed = new Trainer(Options).Run(Objective(1), Train, Val, _dir);
        Assert.Equal(10, resumed.StepsCompleted);
        Assert.Equal(uninterrupted.Losses, resumed.Losses); // continued from step 4, not restarted from 0
        Assert.True(Directory.Exists(latest) && !Directory.Exists(latest + ".previous"));
    }
}
