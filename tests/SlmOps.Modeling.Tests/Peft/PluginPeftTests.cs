using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Peft;

public sealed class PluginPeftTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plugin-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_bridge_with_r_1_is_the_llm_and_a_larger_r_keeps_one_rth_of_every_feature()
    {
        using var llm = AdapterTests.Llm("fft");
        var tokens = CoupledTrainingTests.PatternTokens(600, seed: 1);
        var whole = FisherBridge.Build(llm.Model, tokens, ratio: 1, batches: 2, batchSize: 4, blockSize: 12, Device.CPU);
        using (whole.Model)
        {
            using var ids = ModelTestData.Ids(2, 12, 19, seed: 1);
            using var scope = torch.NewDisposeScope();
            Assert.Equal(llm.Logits(ids).ToArray<float>(), whole.Model.forward(ids).ToArray<float>());
        }
        var pruned = FisherBridge.Build(llm.Model, tokens, ratio: 4, batches: 2, batchSize: 4, blockSize: 12, Device.CPU);
        using (pruned.Model)
        {
            var config = (FftConfig)pruned.Model.Config;
            Assert.Equal(8, config.Width);
            Assert.Equal(((FftConfig)llm.Model.Config).EmbeddingDim / 4, config.EmbeddingDim);
            Assert.Equal(8, pruned.ResidualKept.Length);
            // Fisher chooses: the kept eighth of the residual coordinates carry more than their share of the scores.
            Assert.True(pruned.AxisScoreShareKept["res"] > 0.25, $"kept share {pruned.AxisScoreShareKept["res"]}");
        }
        llm.VerifyUnchanged();
    }

    [Theory]
    [InlineData("adapter")]
    [InlineData("lora")]
    public void Plugin_peft_trains_without_touching_the_llm_and_plugs_modules_that_reload_exactly(string module)
    {
        using var llm = AdapterTests.Llm("fft");
        var hash = llm.WeightsSha256;
        var tokens = CoupledTrainingTests.PatternTokens(3000, seed: 3);
        var training = new TrainingOptions { Steps = 40, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 3 };
        var stages = new List<string>();
        var options = new PluginPeftOptions { Module = module, SmallLayers = 1, Ratio = 2, Bottleneck = 4, Rank = 2, FisherBatches = 2 };
        var run = PluginPeft.Train(llm, tokens, training, options, stage: stages.Add);
        using var modules = run.Modules;
        Assert.Equal(["small", "bridge-prune", "bridge-train"], stages);
        Assert.Equal(module, modules.Config.Module);
        Assert.Equal(16, run.BridgeWidth);
        Assert.True(run.SmallStage.Losses.Skip(35).Average() < run.SmallStage.Losses.Take(5).Average());
        Assert.True(run.BridgeStage.Losses.Skip(35).Average() < run.BridgeStage.Losses.Take(5).Average());
        llm.VerifyUnchanged();
        Assert.Equal(hash, WeightsHash.Of(llm.Model));
        Assert.All(llm.Model.parameters(), p => Assert.False(p.requires_grad)); // no gradient can reach the LLM

        var val = CoupledTrainingTests.PatternTokens(400, seed: 4);
        double Loss() => Evaluator.MeanLoss(PeftObjective.Attached(llm, modules), val, 8, 12, 4, Device.CPU);
        var plugged = Loss();
        using var ids = ModelTestData.Ids(2, 12, 19, seed: 6);
        var pluggedLogits = AdapterTests.Logits(llm, ids);
        modules.DetachFrom();
        var alone = Loss();
        Assert.True(plugged < alone - 0.1, $"plugged {plugged} vs the LLM alone {alone}");

        modules.Save(_dir);
        AdapterTests.AssertHoldsOnly(_dir, modules, llm);
        const long e = 32, ve = 48, v = 19, m = 4, r = 2;
        long layers = llm.Model.BlockCount;
        var expected = module == "adapter"
            ? 2 * layers * (m * e + m + e * m + e) + e * e // adapters + W_plug
            // LoRA on unify (Ve→E), each block's w1 (E→Ve) and w2 (Ve→E), head (E→V), plus W_plug for res, emb, mlp.
            : r * (ve + e) + layers * 2 * r * (e + ve) + r * (e + v) + e * e + 2 * ve * ve;
        Assert.Equal(expected, modules.parameter_count());
        using var reloaded = AttachedModules.Load("plugin-peft", _dir, llm.Model);
        Assert.Equal(pluggedLogits, AdapterTests.Logits(llm, ids));
        reloaded.DetachFrom();
        Assert.Equal(hash, WeightsHash.Of(llm.Model));
    }

    [Fact]
    public void A_plugged_adapter_is_the_adapter_read_through_its_projections()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var adapter = new BottleneckAdapter(width: 6, bottleneck: 3, Device.CPU);
        using (torch.no_grad())
        {
            adapter.Up.copy_(torch.randn([6, 3]));
            adapter.UpBias.copy_(torch.randn([6]));
        }
        var outer = torch.randn([4, 5]); // E=4 -> 5
        var inner = torch.randn([5, 6]); // 5 -> E_s=6
        adapter.Plug = [outer, inner];
        var y = torch.randn([2, 7, 4]);

        var intoSmall = torch.matmul(torch.matmul(y, outer), inner);
        var hidden = torch.nn.functional.gelu(torch.nn.functional.linear(intoSmall, adapter.Down, adapter.DownBias));
        var delta = torch.nn.functional.linear(hidden, adapter.Up, adapter.UpBias);
        var expected = (y + torch.matmul(torch.matmul(delta, inner.transpose(0, 1)), outer.transpose(0, 1))).ToArray<float>();
        var actual = adapter.forward(y).ToArray<float>();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    [Fact]
    public void Bad_plugin_settings_are_refused_before_training_naming_the_dimension()
    {
        var fft = ModelPresets.TinyFft(19, 12);
        var zero = Assert.Throws<ArgumentException>(() => PluginPeft.Validate(fft, new PluginPeftOptions { Ratio = 64 }));
        Assert.Contains("residual width 32/64 = 0", zero.Message);
        var depth = Assert.Throws<ArgumentException>(() => PluginPeft.Validate(fft, new PluginPeftOptions { SmallLayers = 5 }));
        Assert.Contains("k must be in 1..2", depth.Message);
        var gpt = Assert.Throws<ArgumentException>(() => PluginPeft.Validate(ModelPresets.TinyGpt(19, 12), new PluginPeftOptions()));
        Assert.Contains("fft architecture only", gpt.Message);
    }
}
