using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Peft;

/// <summary>LoRA as plug-in PEFT's module, and plug-in PEFT on a small model of its own (training both kinds: PluginPeftTests).</summary>
public sealed class PluginLoraTests
{
    private static readonly PluginPeftOptions Lora = new() { Module = "lora", SmallLayers = 1, Ratio = 2, Rank = 2, FisherBatches = 2 };

    [Fact]
    public void A_plugged_lora_pair_is_the_pair_read_through_its_projections()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var layer = new LoraLayer(inFeatures: 6, outFeatures: 5, rank: 2, alpha: 4, Device.CPU);
        using (torch.no_grad()) layer.B.copy_(torch.randn([5, 2]));
        var inOuter = torch.randn([4, 3]); // the model's input width 4 <- 3
        var inInner = torch.randn([3, 6]); // 3 <- the pair's 6
        var outPlug = torch.randn([7, 5]); // the model's output width 7 <- the pair's 5
        layer.PlugIn = [inOuter, inInner];
        layer.PlugOut = [outPlug];
        var x = torch.randn([2, 3, 4]);

        var intoSmall = torch.matmul(torch.matmul(x, inOuter), inInner);
        var small = torch.nn.functional.linear(torch.nn.functional.linear(intoSmall, layer.A), layer.B) * 2.0;
        var expected = torch.matmul(small, outPlug.transpose(0, 1)).ToArray<float>();
        var actual = layer.forward(x).ToArray<float>();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void A_small_model_with_another_tokenizer_is_refused_naming_both_hashes_before_any_step()
    {
        using var llm = AdapterTests.Llm("fft");
        torch.manual_seed(7);
        using var small = new FrozenLlm(ModelFactory.Create(ModelPresets.TinyFft(19, 12) with { Width = 16, Layers = 1 }));
        var tokens = CoupledTrainingTests.PatternTokens(600, seed: 3);
        var stages = new List<string>();
        var training = new TrainingOptions { Steps = 5, BatchSize = 4 };
        var e = Assert.Throws<ArgumentException>(() => PluginPeft.Train(llm, tokens, training, Lora, stage: stages.Add,
            small: new PluginSmallModel(small, TokenizerHash('b'), TokenizerHash('a'))));
        Assert.Contains($"sha256 {TokenizerHash('b')}", e.Message);
        Assert.Contains($"sha256 {TokenizerHash('a')}", e.Message);
        Assert.Empty(stages);

        using var gpt = new FrozenLlm(ModelFactory.Create(ModelPresets.TinyGpt(19, 12)));
        var arch = Assert.Throws<ArgumentException>(() => PluginPeft.Train(llm, tokens, training, Lora, stage: stages.Add,
            small: new PluginSmallModel(gpt, TokenizerHash('a'), TokenizerHash('a'))));
        Assert.Contains("must have the LLM's architecture (fft)", arch.Message);
        Assert.Empty(stages);
        Assert.Contains("must be one of adapter, lora, got 'prompt'",
            Assert.Throws<ArgumentException>(() => PluginPeft.Validate(llm.Model.Config, Lora with { Module = "prompt" })).Message);
    }

    [Fact]
    public void A_small_model_of_its_own_with_other_widths_carries_lora_onto_the_llm()
    {
        using var llm = AdapterTests.Llm("fft");
        var hash = llm.WeightsSha256;
        torch.manual_seed(8);
        using var small = new FrozenLlm(ModelFactory.Create(ModelPresets.TinyFft(19, 12) with { Width = 16, EmbeddingDim = 24, Layers = 1 }));
        var tokens = CoupledTrainingTests.PatternTokens(3000, seed: 3);
        var training = new TrainingOptions { Steps = 30, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 3 };
        var run = PluginPeft.Train(llm, tokens, training, Lora, small: new PluginSmallModel(small, TokenizerHash('a'), TokenizerHash('a')));
        using var modules = run.Modules;
        Assert.Equal((32L, 16L), (modules.WPlug.shape[0], modules.WPlug.shape[1]));
        Assert.Equal((48L, 24L), (modules.Plug("mlp").shape[0], modules.Plug("mlp").shape[1]));
        Assert.Equal(1, modules.Config.SmallLayers);
        Assert.Equal(hash, WeightsHash.Of(llm.Model));
        var val = CoupledTrainingTests.PatternTokens(400, seed: 4);
        var plugged = Evaluator.MeanLoss(PeftObjective.Attached(llm, modules), val, 8, 12, 4, Device.CPU);
        modules.DetachFrom();
        var alone = Evaluator.MeanLoss(PeftObjective.Attached(llm, modules), val, 8, 12, 4, Device.CPU);
        Assert.True(plugged < alone - 0.1, $"plugged {plugged} vs the LLM alone {alone}");
    }

    private static string TokenizerHash(char c) => new(c, 64);
}
