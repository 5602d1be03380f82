using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Evaluation;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Training;

namespace SlmOps.Modeling.Tests.Evaluation;

public class ComparisonValidationTests
{
    private static ComparisonSetup Setup(FrozenLlm llm, ModelConfig slm, CouplingOptions? coupling = null, int tokens = 200) => new()
    {
        Llm = llm, SlmConfig = slm, TaskTrain = new int[tokens], TaskVal = new int[tokens], BaseVal = new int[tokens],
        Training = new TrainingOptions { Steps = 1 }, Coupling = coupling ?? new CouplingOptions(),
    };

    [Fact]
    public void Run_refuses_configs_that_cannot_work_before_training_each_with_its_own_message()
    {
        using var llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(19, 16)));
        var slm = ModelPresets.TinyFft(19, 16);
        string Refusal(ComparisonSetup s, string method = "slm-tokens") =>
            Assert.Throws<ArgumentException>(() => MethodComparison.Run(s, [method])).Message;

        Assert.Contains("window T=32 cannot exceed the LLM's window of 16", Refusal(Setup(llm, slm with { BlockSize = 32 })));
        Assert.Contains("k=3 is larger than the LLM's depth of 2", Refusal(Setup(llm, slm with { Layers = 3 }, new() { Initialization = SlmInitialization.Inherit, InheritBlocks = 3 })));
        Assert.Contains("widths must match: SLM width 24, LLM width 32", Refusal(Setup(llm, slm with { Width = 24 }, new() { Initialization = SlmInitialization.Inherit, InheritBlocks = 1 })));
        Assert.Contains("The SLM layer count must be positive, got 0", Refusal(Setup(llm, slm with { Layers = 0 })));
        Assert.Contains("The learning rate must be positive, got -0.1", Refusal(Setup(llm, slm) with { Training = new TrainingOptions { LearningRate = -0.1 } }));
        Assert.Contains("The SLM's vocabulary (20) differs from the LLM's (19)", Refusal(Setup(llm, slm with { VocabSize = 20 })));
        Assert.Contains("The task training corpus holds 0 tokens; at least 17 are needed", Refusal(Setup(llm, slm, tokens: 0)));
        Assert.Contains("K must be at least 1, got 0", Refusal(Setup(llm, slm, new() { EvalDraws = 0 })));
        Assert.Contains("must be shorter than 16", Refusal(Setup(llm, slm) with { PrefixLength = 16 }, "prefix"));
        Assert.Contains("block size can be at most 12, got 16", Refusal(Setup(llm, slm) with { Training = new TrainingOptions { Steps = 1, BlockSize = 16 } }, "prefix"));
        Assert.Contains("between 1 and the model's width 32, got 0", Refusal(Setup(llm, slm) with { AdapterBottleneck = 0 }, "adapter"));
        Assert.Contains("residual width 32/33 = 0", Refusal(Setup(llm, slm) with { Plugin = new() { Ratio = 33 } }, "plugin-peft"));
        Assert.Contains("seeds must be at least 1, got 0", Assert.Throws<ArgumentException>(() => MethodComparison.RunSeeds(Setup(llm, slm), 0, ["llm-alone"])).Message);
    }

    [Fact]
    public void A_different_tokenizer_is_refused_naming_both_hashes()
    {
        var e = Assert.Throws<ArgumentException>(() => ComparisonValidation.EnsureSameTokenizer("aaa", 19, "bbb", 19));
        Assert.Contains("sha256 bbb", e.Message);
        Assert.Contains("sha256 aaa", e.Message);
        ComparisonValidation.EnsureSameTokenizer("aaa", 19, "aaa", 19); // the same tokenizer passes
    }
}
