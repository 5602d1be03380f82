using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Evaluation;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Evaluation;

public class MethodComparisonTests
{
    [Fact]
    public void Every_method_is_measured_on_the_same_data_and_the_llm_is_never_changed()
    {
        torch.manual_seed(60);
        using var llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(19, 16)));
        var hash = llm.WeightsSha256;
        var rng = new Random(4);
        var setup = new ComparisonSetup
        {
            Llm = llm,
            SlmConfig = ModelPresets.TinyFft(19, 12) with { Width = 24, Layers = 1 },
            TaskTrain = CoupledTrainingTests.PatternTokens(2000, seed: 1),
            TaskVal = CoupledTrainingTests.PatternTokens(400, seed: 2),
            BaseVal = Enumerable.Range(0, 400).Select(_ => rng.Next(19)).ToArray(),
            Training = new TrainingOptions { Steps = 25, BatchSize = 8, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 3 },
            LoraRank = 2,
            EvalBatches = 4,
        };
        var progressed = new HashSet<string>();
        var report = MethodComparison.Run(setup, progress: (method, _) => progressed.Add(method));

        Assert.Equal(MethodComparison.AllMethods, report.Methods.Select(m => m.Method));
        Assert.Equal(MethodComparison.AllMethods.Skip(1).Order(), progressed.Order()); // every trained method reported progress
        var byName = report.Methods.ToDictionary(m => m.Method);
        var llmTask = byName["llm-alone"].TaskValLoss;
        foreach (var m in report.Methods.Where(m => m.Method != "llm-alone"))
        {
            Assert.True(m.TaskValLoss < llmTask, $"{m.Method}: {m.TaskValLoss} is not below the untrained LLM's {llmTask}");
            Assert.True(m.StepTimeMs > 0);
            Assert.Equal(byName["llm-alone"].BaseValLossUnplugged, m.BaseValLossUnplugged);
        }
        Assert.Equal(0, byName["llm-alone"].TrainableParameters);
        Assert.Equal(llm.Model.parameter_count(), byName["full-finetune"].TrainableParameters);
        foreach (var peft in new[] { "lora", "adapter", "prefix", "plugin-peft" })
            Assert.True(byName[peft].TrainableParameters < byName["full-finetune"].TrainableParameters, peft);
        Assert.True(byName["slm-tokens"].TokensLossOneDraw > byName["slm-tokens"].TaskValLoss, "K draws should read the pair better than one draw");
        Assert.NotNull(byName["plugin-peft"].Detail);
        Assert.Equal(hash, WeightsHash.Of(llm.Model));
        Assert.Contains("| slm-tokens |", report.ToMarkdown());
    }

    [Fact]
    public void Seeds_give_each_method_the_mean_and_every_seeds_numbers()
    {
        torch.manual_seed(61);
        using var llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(19, 16)));
        var rng = new Random(5);
        var setup = new ComparisonSetup
        {
            Llm = llm, SlmConfig = ModelPresets.TinyFft(19, 12) with { Width = 24, Layers = 1 },
            TaskTrain = CoupledTrainingTests.PatternTokens(2000, seed: 1), TaskVal = CoupledTrainingTests.PatternTokens(400, seed: 2),
            BaseVal = Enumerable.Range(0, 400).Select(_ => rng.Next(19)).ToArray(),
            Training = new TrainingOptions { Steps = 10, BatchSize = 8, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 2 },
            EvalBatches = 2,
        };
        string[] methods = ["llm-alone", "adapter", "full-finetune"];
        var report = MethodComparison.RunSeeds(setup, 2, methods);
        Assert.Equal(2, report.Seeds);
        var adapter = report.Methods.Single(m => m.Method == "adapter");
        Assert.Equal(2, adapter.TaskValLossPerSeed!.Count);
        Assert.NotEqual(adapter.TaskValLossPerSeed[0], adapter.TaskValLossPerSeed[1]); // the seeds really differ
        Assert.Equal(adapter.TaskValLossPerSeed.Average(), adapter.TaskValLoss, 12);
        Assert.Equal(adapter.GapClosedPerSeed!.Average(), adapter.GapClosed!.Value, 12);
        var seed2 = MethodComparison.Run(setup with { Training = setup.Training with { Seed = 2 } }, methods);
        Assert.Equal(seed2.Methods.Single(m => m.Method == "adapter").TaskValLoss, adapter.TaskValLossPerSeed[1], 12);
        Assert.Contains("mean of 2 seeds", report.ToMarkdown());
        Assert.Throws<ArgumentException>(() => MethodComparison.RunSeeds(setup, 0, methods));
    }

    [Fact]
    public void Gap_closed_is_the_share_of_the_llm_to_full_finetune_gap()
    {
        var rows = MethodComparison.WithGapClosed([
            new MethodResult { Method = "llm-alone", TaskValLoss = 3.0, TrainableParameters = 0 },
            new MethodResult { Method = "adapter", TaskValLoss = 2.5, TrainableParameters = 1 },
            new MethodResult { Method = "full-finetune", TaskValLoss = 1.0, TrainableParameters = 2 },
        ]).ToDictionary(r => r.Method, r => r.GapClosed);
        Assert.Equal(0.0, rows["llm-alone"]!.Value, 12);
        Assert.Equal(0.25, rows["adapter"]!.Value, 12);
        Assert.Equal(1.0, rows["full-finetune"]!.Value, 12);
    }
}
