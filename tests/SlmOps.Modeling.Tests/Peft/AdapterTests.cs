using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Peft;

public sealed class AdapterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adapter-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static FrozenLlm Llm(string arch, int block = 12)
    {
        torch.manual_seed(50);
        return new FrozenLlm(ModelFactory.Create(arch == "fft" ? ModelPresets.TinyFft(19, block) : ModelPresets.TinyGpt(19, block)));
    }

    internal static float[] Logits(FrozenLlm llm, Tensor ids)
    {
        using var _ = torch.NewDisposeScope();
        return llm.Logits(ids).ToArray<float>();
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void Adapters_start_as_the_identity_train_alone_and_save_only_themselves(string arch)
    {
        using var llm = Llm(arch);
        var hash = llm.WeightsSha256;
        using var ids = ModelTestData.Ids(2, 12, 19, seed: 1);
        var before = Logits(llm, ids);

        using var adapters = AdapterSet.Attach(llm.Model, bottleneck: 4);
        Assert.Equal(before, Logits(llm, ids)); // W_up = 0 at the start
        Assert.Equal(2L * llm.Model.BlockCount * (4 * 32 + 4 + 32 * 4 + 32), adapters.parameter_count());

        var result = new Trainer(new TrainingOptions { Steps = 30, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 3 })
            .Run(PeftObjective.Attached(llm, adapters), CoupledTrainingTests.PatternTokens(2000, seed: 3));
        Assert.True(result.Losses.Skip(25).Average() < result.Losses.Take(5).Average() - 0.3);
        Assert.Equal(adapters.parameter_count(), result.TrainableParameters);
        llm.VerifyUnchanged();
        Assert.Equal(hash, WeightsHash.Of(llm.Model));

        var adapted = Logits(llm, ids);
        Assert.NotEqual(before, adapted);
        adapters.Save(_dir);
        AssertHoldsOnly(_dir, adapters, llm);

        adapters.DetachFrom();
        Assert.Equal(before, Logits(llm, ids));
        using var reloaded = AdapterSet.Load(_dir, llm.Model);
        Assert.Equal(adapted, Logits(llm, ids));
        reloaded.DetachFrom();
    }

    /// <summary>The artifact holds exactly the modules' parameters and nothing of the LLM.</summary>
    internal static void AssertHoldsOnly(string dir, torch.nn.Module modules, FrozenLlm llm)
    {
        var saved = torch.load_safetensors(Path.Combine(dir, PeftFiles.WeightsFile));
        try
        {
            Assert.Equal(modules.state_dict().Keys.Order(), saved.Keys.Order());
            Assert.Equal(modules.parameter_count(), saved.Values.Sum(t => t.numel()));
            Assert.DoesNotContain(saved.Keys, k => llm.Model.state_dict().ContainsKey(k));
        }
        finally { foreach (var t in saved.Values) t.Dispose(); }
    }

    [Fact]
    public void A_bottleneck_wider_than_the_model_is_refused_naming_the_width()
    {
        using var llm = Llm("fft");
        var e = Assert.Throws<ArgumentException>(() => AdapterSet.Attach(llm.Model, bottleneck: 33));
        Assert.Contains("between 1 and the model's width 32, got 33", e.Message);
    }
}
