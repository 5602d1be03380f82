using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Evaluation;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Cli.Local.Experiments;

/// <summary>
/// Pretrains an LLM on the base corpus, freezes it, trains every method on the task corpus and measures
/// them (MethodComparison). Every config check runs before the first training step.
/// </summary>
public sealed class ComparisonExperiment(CompareOptions o)
{
    public sealed record Outcome(MethodComparisonReport Report, IReadOnlyList<string> Notes);

    /// <summary>Phase name, progress (0..1), description.</summary>
    public Outcome Run(Action<string, double, string> progress)
    {
        var (baseText, taskText, corpusDescription) = CorpusSource.Load(o);
        var tokenizer = CharPairTokenizer.Train([baseText, taskText]);
        // The SLM's tokenizer, which a separately pretrained plug-in small model uses too.
        var slmTokenizerHash = tokenizer.Hash;
        if (o.SlmTokenizer is { } slmTokenizerPath)
        {
            var slmTokenizer = TokenizerArtifact.Load(slmTokenizerPath);
            ComparisonValidation.EnsureSameTokenizer(tokenizer.Hash, tokenizer.VocabSize, slmTokenizer.Hash, slmTokenizer.VocabSize);
            slmTokenizerHash = slmTokenizer.Hash;
        }
        var (baseTrain, baseVal) = Split(tokenizer.Encode(baseText));
        var (taskTrain, taskVal) = Split(tokenizer.Encode(taskText));

        var llmConfig = LlmConfig(tokenizer.VocabSize);
        var slmConfig = llmConfig with { Width = o.SlmWidth ?? Math.Max(8, llmConfig.Width * 3 / 4), Layers = o.SlmLayers ?? Math.Max(1, llmConfig.Layers - 1), BlockSize = o.SlmBlock ?? llmConfig.BlockSize };
        var methods = o.Methods ?? MethodComparison.DefaultMethods(llmConfig);
        var training = new TrainingOptions
        {
            Steps = o.Steps ?? (o.Quick ? 30 : 300), BatchSize = o.BatchSize, LearningRate = o.LearningRate, MinLearningRate = o.LearningRate / 10,
            WarmupSteps = Math.Max(0, (o.Steps ?? 30) / 10), Seed = o.Seed,
        };
        var pretraining = training with { Steps = o.PretrainSteps ?? (o.Quick ? 60 : 600), LearningRate = o.PretrainLearningRate, MinLearningRate = o.PretrainLearningRate / 10 };
        var setupDraft = new ComparisonSetup
        {
            Llm = null!, SlmConfig = slmConfig, TaskTrain = taskTrain, TaskVal = taskVal, BaseVal = baseVal, Training = training, LoraRank = o.LoraRank,
            Coupling = new CouplingOptions { Initialization = o.Initialization, InheritBlocks = o.InheritBlocks, Argmax = o.Argmax, Temperature = o.Temperature, EvalDraws = o.EvalDraws },
            EvalBatches = o.Quick ? 4 : 16, AdapterBottleneck = o.AdapterBottleneck, PrefixLength = o.PrefixLength,
            Plugin = new PluginPeftOptions { Module = o.PluginModule, SmallLayers = o.PluginSmallLayers, Ratio = o.PluginRatio, Bottleneck = o.AdapterBottleneck, Rank = o.LoraRank },
        };
        var pretrainSmall = o.PluginSmallPretrained && methods.Contains("plugin-peft");
        // Refuse everything that cannot work before any training starts.
        ComparisonValidation.EnsureSeeds(o.Seeds);
        ComparisonValidation.Validate(llmConfig, setupDraft, methods);
        if (pretrainSmall) PeftLimits.Ensure(PeftLimits.PluginSmallModel(llmConfig, slmConfig, o.PluginModule, o.AdapterBottleneck));
        if (!(pretraining.LearningRate > 0)) throw new ArgumentException($"The pretraining learning rate must be positive, got {pretraining.LearningRate}.");
        if (pretraining.Steps <= 0) throw new ArgumentException($"The pretraining steps must be positive, got {pretraining.Steps}.");
        ComparisonValidation.EnsureCorpusLength("base training corpus", baseTrain.Length, llmConfig.BlockSize);

        torch.manual_seed(o.Seed);
        var model = ModelFactory.Create(llmConfig);
        new Trainer(pretraining).Run(new LanguageModelObjective(model), baseTrain,
            progress: p => progress("pretrain LLM", (double)p.Step / pretraining.Steps, $"loss {p.Loss:F3}"));
        using var llm = new FrozenLlm(model);
        using var small = pretrainSmall ? PretrainSmall(slmConfig, pretraining, baseTrain, progress) : null;
        var hashBefore = llm.WeightsSha256;
        var pluginSmall = small is null ? null : new PluginSmallModel(small, slmTokenizerHash, tokenizer.Hash);
        var report = MethodComparison.RunSeeds(setupDraft with { Llm = llm, PluginSmall = pluginSmall }, o.Seeds, methods,
            (method, p) => progress(method, (double)p.Step / training.Steps, $"loss {p.Loss:F3}"));
        var hashAfter = WeightsHash.Of(llm.Model);
        var notes = new List<string>
        {
            $"corpora: {corpusDescription}; tokenizer: paper's 2-character tokenizer, V={tokenizer.VocabSize}, sha256 {tokenizer.Hash}",
            $"tokens: base train {baseTrain.Length:N0} / val {baseVal.Length:N0}; task train {taskTrain.Length:N0} / val {taskVal.Length:N0}",
            $"LLM: {Describe(llmConfig)}, pretrained {pretraining.Steps} steps; SLM: {Describe(slmConfig)}; {training.Steps} task steps per method, batch {training.BatchSize}, lr {training.LearningRate}; SLM init {o.Initialization}{(o.Initialization == SlmInitialization.Inherit ? $" k={o.InheritBlocks}" : "")}, tokens mode {(o.Argmax ? "argmax" : $"sampled at temperature {o.Temperature}, evaluated over K={o.EvalDraws} draws")}",
            $"LLM weights sha256 before the methods {hashBefore}, after {hashAfter}: {(hashBefore == hashAfter ? "unchanged" : "CHANGED")}",
            "peak memory: on CUDA the caching allocator's peak; on CPU the process resident-set high-water mark (VmHWM, reset per method) minus the resident size at the method's start",
            "gap closed = (llm-alone task loss - method task loss) / (llm-alone task loss - full-finetune task loss)",
            o.Seeds > 1
                ? $"seeds: {o.Seeds} task-training seeds ({o.Seed}..{o.Seed + o.Seeds - 1}) per method over one pretrained LLM; each row is the mean, min–max the spread over seeds, gap closed per seed then averaged"
                : "seeds: one (use --seeds K for the mean and spread)",
            $"block: every method trains and is evaluated at T={MethodComparison.SharedBlockSize(llmConfig, setupDraft, methods)}" +
                (methods.Contains("prefix") ? $" (the prefix of {o.PrefixLength} takes the first positions of the LLM's window)" : ""),
        };
        notes.AddRange(methods.Select(m => $"serving {m}: {MethodComparison.ServingNeeds(m)}"));
        notes.AddRange(report.Methods.Where(m => m.Detail is not null).Select(m => $"{m.Method}: {m.Detail}"));
        return new Outcome(report, notes);
    }

    /// <summary>plugin-peft's small model of its own: the SLM's shape, pretrained on the base corpus like the LLM, then frozen.</summary>
    private FrozenLlm PretrainSmall(ModelConfig config, TrainingOptions pretraining, int[] baseTrain, Action<string, double, string> progress)
    {
        torch.manual_seed(o.Seed + 1);
        var model = ModelFactory.Create(config);
        new Trainer(pretraining).Run(new LanguageModelObjective(model), baseTrain,
            progress: p => progress("pretrain small model", (double)p.Step / pretraining.Steps, $"loss {p.Loss:F3}"));
        return new FrozenLlm(model);
    }

    private ModelConfig LlmConfig(int vocab)
    {
        var preset = o.LlmPreset == "tiny-fft" ? ModelPresets.TinyFft(vocab, o.Quick ? 32 : 64) with { Layers = o.Quick ? 2 : 3 } : ModelPresets.ByName(o.LlmPreset, vocab);
        return preset with { Width = o.LlmWidth ?? preset.Width, Layers = o.LlmLayers ?? preset.Layers, BlockSize = o.LlmBlock ?? preset.BlockSize };
    }

    private static string Describe(ModelConfig c) =>
        $"{c.Architecture} E={c.Width} L={c.Layers} T={c.BlockSize}{(c is FftConfig f ? $" Ve={f.EmbeddingDim}" : "")} ({c.ParameterCount():N0} params)";

    private static (int[] Train, int[] Val) Split(int[] tokens)
    {
        var cut = tokens.Length - tokens.Length / 10;
        return (tokens[..cut], tokens[cut..]);
    }
}
