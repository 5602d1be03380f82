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
        Assert.True(byName["lora"].TrainableParameters < byName["full-finetune"].TrainableParameters);
        Assert.Equal(hash, WeightsHash.Of(llm.Model));
        Assert.Contains("| slm-tokens |", report.ToMarkdown());
    }
}
