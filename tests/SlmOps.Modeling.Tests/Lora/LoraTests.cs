using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Lora;

public sealed class LoraTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lora-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FrozenLlm Llm(string arch)
    {
        torch.manual_seed(50);
        return new FrozenLlm(ModelFactory.Create(arch == "fft" ? ModelPresets.TinyFft(19, 12) : ModelPresets.TinyGpt(19, 12)));
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void Lora_trains_only_adapters_saves_them_separately_and_leaves_the_llm_intact(string arch)
    {
        using var llm = Llm(arch);
        var ids = ModelTestData.Ids(2, 12, 19, seed: 1);
        float[] before;
        using (torch.NewDisposeScope()) before = llm.Logits(ids).ToArray<float>();

        using var adapters = LoraAdapterSet.Attach(llm.Model, rank: 2, alpha: 4);
        var linears = llm.Model.named_modules().Count(m => m.Module is SlmOps.Torch.Modules.Linear);
        Assert.Equal(linears, adapters.Config.Targets.Count);
        using (torch.NewDisposeScope()) Assert.Equal(before, llm.Logits(ids).ToArray<float>()); // B = 0 at the start

        var result = new Trainer(new TrainingOptions { Steps = 30, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 3 })
            .Run(PeftObjective.Attached(llm, adapters), CoupledTrainingTests.PatternTokens(2000, seed: 3));
        Assert.True(result.Losses.Skip(25).Average() < result.Losses.Take(5).Average());
        Assert.Equal(adapters.parameter_count(), result.TrainableParameters);
        llm.VerifyUnchanged();

        float[] adapted;
        using (torch.NewDisposeScope()) adapted = llm.Logits(ids).ToArray<float>();
        Assert.NotEqual(before, adapted);
        adapters.Save(_dir);
        Assert.True(File.Exists(Path.Combine(_dir, LoraAdapterSet.WeightsFile)));

        adapters.DetachFrom();
        using (torch.NewDisposeScope()) Assert.Equal(before, llm.Logits(ids).ToArray<float>());

        using var reloaded = LoraAdapterSet.Load(_dir, llm.Model);
        using (torch.NewDisposeScope()) Assert.Equal(adapted, llm.Logits(ids).ToArray<float>());
        reloaded.DetachFrom();
    }
}
