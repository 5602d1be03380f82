using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Peft;

namespace SlmOps.Modeling.Evaluation;

/// <summary>
/// Refuses comparison configs that cannot work, before any training starts, each with a message
/// that says what is wrong and what would be accepted.
/// </summary>
public static class ComparisonValidation
{
    /// <summary>An SLM can only follow an LLM whose tokenizer it shares: same ids, same meaning.</summary>
    public static void EnsureSameTokenizer(string llmTokenizerHash, int llmVocabSize, string slmTokenizerHash, int slmVocabSize) =>
        PeftLimits.Ensure(SameTokenizer.Problem("SLM", llmTokenizerHash, slmTokenizerHash, llmVocabSize, slmVocabSize));

    /// <summary>A comparison over K seeds needs K of at least 1.</summary>
    public static void EnsureSeeds(int seeds)
    {
        if (seeds < 1) throw new ArgumentException($"The number of seeds must be at least 1, got {seeds}.");
    }

    /// <summary>Tokens a corpus split needs: one block plus its shifted target.</summary>
    public static int MinimumTokens(int blockSize) => blockSize + 1;

    /// <summary>Refuses an empty or too-short corpus split with its size and the minimum needed.</summary>
    public static void EnsureCorpusLength(string name, int tokens, int blockSize)
    {
        var minimum = MinimumTokens(blockSize);
        if (tokens < minimum)
            throw new ArgumentException(
                $"The {name} holds {tokens} tokens; at least {minimum} are needed (one block of {blockSize} plus its shifted target). Give a longer corpus or a smaller block size.");
    }

    public static void Validate(ComparisonSetup setup, IEnumerable<string> methods) =>
        Validate(setup.Llm.Model.Config, setup with { Llm = null! }, methods);

    /// <summary>
    /// The same checks from the LLM's config alone, so a caller that still has to pretrain the LLM can
    /// refuse a bad config before any training starts (<paramref name="setup"/>.Llm is not read).
    /// </summary>
    public static void Validate(ModelConfig llm, ComparisonSetup setup, IEnumerable<string> methods)
    {
        var methodList = methods.ToList();
        foreach (var m in methodList.Where(m => !MethodComparison.AllMethods.Contains(m)))
            throw new ArgumentException($"Unknown method '{m}'. Known: {string.Join(", ", MethodComparison.AllMethods)}.");
        var slm = setup.SlmConfig;
        Sizes("LLM", llm);
        Sizes("SLM", slm);
        var t = setup.Training;
        Positive("training steps", t.Steps);
        Positive("batch size", t.BatchSize);
        if (t.BlockSize is { } b) Positive("block size", b);
        Positive("evaluation batches", setup.EvalBatches);
        if (!(t.LearningRate > 0)) throw new ArgumentException($"The learning rate must be positive, got {t.LearningRate}.");
        if (!(t.MinLearningRate >= 0) || t.MinLearningRate > t.LearningRate)
            throw new ArgumentException($"The minimum learning rate must be in [0, {t.LearningRate}] (the learning rate), got {t.MinLearningRate}.");
        if (t.WarmupSteps < 0) throw new ArgumentException($"Warmup steps must be non-negative, got {t.WarmupSteps}.");
        if (methodList.Contains("lora")) Positive("LoRA rank", setup.LoraRank);
        if (methodList.Contains("adapter")) AdapterSet.Validate(llm.Width, setup.AdapterBottleneck);
        if (methodList.Contains("prefix"))
        {
            PrefixSet.Validate(llm.BlockSize, setup.PrefixLength);
            if (t.BlockSize is { } given && given > llm.BlockSize - setup.PrefixLength)
                throw new ArgumentException($"A prefix of {setup.PrefixLength} takes the first positions of the LLM's window of {llm.BlockSize}, so the block size can be at most {llm.BlockSize - setup.PrefixLength}, got {given}.");
        }
        if (methodList.Contains("plugin-peft"))
        {
            PluginPeft.Validate(llm, setup.Plugin);
            if (setup.PluginSmall is { } small) PluginPeft.Validate(llm, setup.Plugin, small);
        }
        if (methodList.Contains("slm-tokens") && !setup.Coupling.Argmax && setup.Coupling.EvalDraws < 1)
            throw new ArgumentException($"Tokens mode is evaluated over K draws of the LLM's tokens; K must be at least 1, got {setup.Coupling.EvalDraws}.");

        var slmMethods = methodList.Where(m => m.StartsWith("slm-", StringComparison.Ordinal) && m != "slm-alone").ToList();
        if (slmMethods.Count > 0 && slm.VocabSize != llm.VocabSize)
            throw new ArgumentException($"The SLM's vocabulary ({slm.VocabSize}) differs from the LLM's ({llm.VocabSize}); a follower must use the LLM's tokenizer.");
        if (methodList.Contains("slm-tokens") && slm.BlockSize > llm.BlockSize)
            throw new ArgumentException(
                $"In tokens mode the SLM reads the LLM's token at every position, so its window T={slm.BlockSize} cannot exceed the LLM's window of {llm.BlockSize}.");
        if (methodList.Contains("slm-tokens") && !setup.Coupling.Argmax && !(setup.Coupling.Temperature > 0))
            throw new ArgumentException($"Tokens mode samples the LLM at a temperature, which must be positive, got {setup.Coupling.Temperature} (or use argmax).");
        if (slmMethods.Count > 0 && setup.Coupling.Initialization == SlmInitialization.Inherit)
        {
            var k = setup.Coupling.InheritBlocks;
            if (k < 0) throw new ArgumentException($"Inherit needs a non-negative block count k, got {k}.");
            if (k > llm.Layers) throw new ArgumentException($"Inherit: k={k} is larger than the LLM's depth of {llm.Layers} blocks.");
            if (k > slm.Layers) throw new ArgumentException($"Inherit: k={k} is larger than the SLM's depth of {slm.Layers} blocks.");
            if (slm.Width != llm.Width) throw new ArgumentException($"Inherit copies blocks, so the widths must match: SLM width {slm.Width}, LLM width {llm.Width}.");
            if (slm is FftConfig fs && llm is FftConfig fl && fs.EmbeddingDim != fl.EmbeddingDim)
                throw new ArgumentException($"Inherit copies the tables, so the embedding widths must match: SLM {fs.EmbeddingDim}, LLM {fl.EmbeddingDim}.");
        }

        var block = MethodComparison.SharedBlockSize(llm, setup, methodList);
        EnsureCorpusLength("task training corpus", setup.TaskTrain.Length, block);
        EnsureCorpusLength("task validation corpus", setup.TaskVal.Length, block);
        EnsureCorpusLength("base validation corpus", setup.BaseVal.Length, block);
    }

    /// <summary>Refuses non-positive sizes of a model config with the name of the offending size.</summary>
    public static void Sizes(string who, ModelConfig config)
    {
        Positive($"{who} vocabulary size", config.VocabSize);
        Positive($"{who} width", config.Width);
        Positive($"{who} window (block size)", config.BlockSize);
        Positive($"{who} layer count", config.Layers);
        if (config is FftConfig f) Positive($"{who} embedding width", f.EmbeddingDim);
        if (config is GptConfig g) Positive($"{who} head count", g.Heads);
    }

    private static void Positive(string what, long value)
    {
        if (value <= 0) throw new ArgumentException($"The {what} must be positive, got {value}.");
    }
}
