using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Peft;

public sealed class PrefixTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prefix-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void An_untrained_prefix_is_its_text_read_as_a_prompt(string arch)
    {
        using var llm = AdapterTests.Llm(arch, block: 16);
        int[] init = [3, 1, 4, 1, 5];
        using var prefix = PrefixSet.Create(llm.Model, 4, init);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var ids = ModelTestData.Ids(2, 10, 19, seed: 2);
        var prompt = torch.tensor(new long[] { 3, 1, 4, 1, 3, 1, 4, 1 }, [2, 4]);
        var whole = llm.Logits(torch.cat([prompt, ids], 1)).narrow(1, 4, 10).contiguous().ToArray<float>();
        var withPrefix = prefix.Logits(llm.Model, ids).ToArray<float>();
        Assert.Equal(whole.Length, withPrefix.Length);
        for (var i = 0; i < whole.Length; i++) Assert.Equal(whole[i], withPrefix[i], 4);
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void A_prefix_trains_alone_and_saves_only_its_vectors(string arch)
    {
        using var llm = AdapterTests.Llm(arch, block: 16);
        var tokens = CoupledTrainingTests.PatternTokens(2000, seed: 3);
        using var prefix = PrefixSet.Create(llm.Model, 4, tokens);
        var objective = PeftObjective.Prefix(llm, prefix);
        Assert.Equal(12, objective.BlockSize);
        var result = new Trainer(new TrainingOptions { Steps = 30, BatchSize = 8, LearningRate = 3e-2, WarmupSteps = 3 }).Run(objective, tokens);
        Assert.True(result.Losses.Skip(25).Average() < result.Losses.Take(5).Average(), $"{result.Losses.Take(5).Average()} -> {result.Losses.Skip(25).Average()}");
        Assert.Equal((long)llm.Model.BlockCount * 4 * 32, result.TrainableParameters);
        llm.VerifyUnchanged();

        prefix.Save(_dir);
        AdapterTests.AssertHoldsOnly(_dir, prefix, llm);
        using var ids = ModelTestData.Ids(2, 12, 19, seed: 5);
        using var reloaded = PrefixSet.Load(_dir, llm.Model);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(prefix.Logits(llm.Model, ids).ToArray<float>(), reloaded.Logits(llm.Model, ids).ToArray<float>());
    }

    [Fact]
    public void A_prefix_as_long_as_the_window_is_refused_naming_the_window()
    {
        using var llm = AdapterTests.Llm("fft", block: 16);
        var e = Assert.Throws<ArgumentException>(() => PrefixSet.Create(llm.Model, 16, new int[20]));
        Assert.Contains("window of 16", e.Message);
        Assert.Contains("shorter than 16", e.Message);
    }
}
