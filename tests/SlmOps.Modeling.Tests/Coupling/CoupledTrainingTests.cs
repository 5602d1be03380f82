using SlmOps.Contracts;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Coupling;

public class CoupledTrainingTests
{
    private const int Vocab = 19;

    /// <summary>A learnable task: a repeating pattern with a little noise.</summary>
    internal static int[] PatternTokens(int count, int seed)
    {
        var rng = new Random(seed);
        int[] pattern = [1, 4, 2, 8, 5, 7, 3, 3, 9, 0, 6, 11];
        return Enumerable.Range(0, count).Select(i => rng.NextDouble() < 0.05 ? rng.Next(Vocab) : pattern[i % pattern.Length]).ToArray();
    }

    private static FrozenLlm Llm()
    {
        torch.manual_seed(10);
        return new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(Vocab, blockSize: 16)));
    }

    private static SlmFollower Follower(FrozenLlm llm, CouplingOptions options, int blockSize = 12)
    {
        torch.manual_seed(20);
        var slm = new FftLanguageModel(ModelPresets.TinyFft(Vocab, blockSize) with { Width = 24, Layers = 1 });
        SlmInitializer.Apply(slm, llm.Model, options);
        return new SlmFollower(slm, options, llm.Model.Config.Width);
    }

    [Theory]
    [InlineData(CouplingMode.Tokens, false)]
    [InlineData(CouplingMode.Tokens, true)]
    [InlineData(CouplingMode.Logits, false)]
    [InlineData(CouplingMode.Hidden, false)]
    public void Training_the_slm_lowers_the_loss_and_never_changes_the_llm(CouplingMode mode, bool argmax)
    {
        using var llm = Llm();
        var hashBefore = llm.WeightsSha256;
        using var follower = Follower(llm, new CouplingOptions { Mode = mode, Argmax = argmax });
        var llmParams = llm.Model.parameters().ToHashSet(ReferenceEqualityComparer.Instance);
        Assert.DoesNotContain(follower.parameters(), p => llmParams.Contains(p));
        Assert.All(llm.Model.parameters(), p => Assert.False(p.requires_grad));

        var objective = new CoupledObjective(llm, follower);
        var result = new Trainer(new TrainingOptions { Steps = 40, BatchSize = 8, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 5 })
            .Run(objective, PatternTokens(2000, seed: 1));

        Assert.Equal(12, objective.BlockSize);
        Assert.True(result.Losses.Skip(35).Average() < result.Losses.Take(5).Average() - 0.3,
            $"loss {result.Losses.Take(5).Average():F3} -> {result.Losses.Skip(35).Average():F3}");
        Assert.Equal(follower.parameter_count(), result.TrainableParameters);
        llm.VerifyUnchanged();
        Assert.Equal(hashBefore, WeightsHash.Of(llm.Model));
        Assert.False(llm.Model.training);
    }

    [Theory]
    [InlineData(CouplingMode.Logits)]
    [InlineData(CouplingMode.Hidden)]
    public void An_untrained_correction_leaves_the_llm_logits_unchanged(CouplingMode mode)
    {
        using var scope = torch.NewDisposeScope();
        using var llm = Llm();
        using var follower = Follower(llm, new CouplingOptions { Mode = mode, Initialization = SlmInitialization.Random });
        var ids = ModelTestData.Ids(2, 12, Vocab, seed: 3);
        var composed = follower.Logits(llm, ids).ToArray<float>();
        Assert.Equal(llm.Logits(ids).ToArray<float>(), composed);
    }

    [Fact]
    public void Copying_tables_copies_the_token_table_and_the_first_rows_of_the_position_table()
    {
        using var scope = torch.NewDisposeScope();
        using var llm = Llm();
        using var follower = Follower(llm, new CouplingOptions { Initialization = SlmInitialization.CopyTables }, blockSize: 12);
        var llmState = llm.Model.state_dict();
        var slmState = follower.Slm.state_dict();
        Assert.Equal(llmState["tok.weight"].ToArray<float>(), slmState["tok.weight"].ToArray<float>());
        Assert.Equal(llmState["pos.weight"].slice(0, 0, 12).contiguous().ToArray<float>(), slmState["pos.weight"].ToArray<float>());
        Assert.NotEqual(llmState["head.bias"].ToArray<float>(), slmState["head.bias"].ToArray<float>());
    }

    [Fact]
    public void Inheriting_copies_the_first_k_blocks_cropped_plus_tables_and_head()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(10);
        using var llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(Vocab, 16) with { Layers = 3 }));
        torch.manual_seed(20);
        using var slm = new FftLanguageModel(ModelPresets.TinyFft(Vocab, 12));
        SlmInitializer.Apply(slm, llm.Model, new CouplingOptions { Initialization = SlmInitialization.Inherit, InheritBlocks = 1 });
        var l = llm.Model.state_dict();
        var s = slm.state_dict();
        Assert.Equal(l["blocks.0.w1.weight"].ToArray<float>(), s["blocks.0.w1.weight"].ToArray<float>());
        Assert.Equal(l["blocks.0.mix.mix1"].slice(0, 0, 12).slice(1, 0, 12).contiguous().ToArray<float>(), s["blocks.0.mix.mix1"].ToArray<float>());
        Assert.NotEqual(l["blocks.1.w1.weight"].ToArray<float>(), s["blocks.1.w1.weight"].ToArray<float>());
        Assert.Equal(l["head.weight"].ToArray<float>(), s["head.weight"].ToArray<float>());
        Assert.Equal(l["unify.weight"].ToArray<float>(), s["unify.weight"].ToArray<float>());
    }

    [Fact]
    public void Mismatched_widths_cannot_inherit()
    {
        using var llm = Llm();
        using var slm = new FftLanguageModel(ModelPresets.TinyFft(Vocab, 12) with { Width = 24 });
        var ex = Assert.Throws<ArgumentException>(() =>
            SlmInitializer.Apply(slm, llm.Model, new CouplingOptions { Initialization = SlmInitialization.Inherit, InheritBlocks = 1 }));
        Assert.Contains("equal widths", ex.Message);
    }

    [Fact]
    public void Argmax_tokens_are_the_llms_most_likely_tokens()
    {
        using var scope = torch.NewDisposeScope();
        using var llm = Llm();
        using var follower = Follower(llm, new CouplingOptions { Argmax = true });
        var ids = ModelTestData.Ids(2, 12, Vocab, seed: 4);
        var logits = llm.Logits(ids);
        Assert.Equal(logits.argmax(-1).ToArray<long>(), follower.DrawTokens(logits).ToArray<long>());
    }
}

public class CrossArchitectureCouplingTests
{
    [Fact]
    public void A_gpt_slm_can_follow_an_fft_llm_through_its_hidden_states()
    {
        torch.manual_seed(10);
        using var llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(19, 16)));
        torch.manual_seed(20);
        var options = new CouplingOptions { Mode = CouplingMode.Hidden, Initialization = SlmInitialization.Random };
        var slm = new GptLanguageModel(ModelPresets.TinyGpt(19, 12) with { Width = 16, Heads = 2, Layers = 1 });
        SlmInitializer.Apply(slm, llm.Model, options);
        using var follower = new SlmFollower(slm, options, llm.Model.Config.Width);
        var result = new Trainer(new TrainingOptions { Steps = 40, BatchSize = 8, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 5 })
            .Run(new CoupledObjective(llm, follower), CoupledTrainingTests.PatternTokens(2000, seed: 1));
        Assert.True(result.Losses.Skip(35).Average() < result.Losses.Take(5).Average() - 0.3);
        llm.VerifyUnchanged();
    }
}
