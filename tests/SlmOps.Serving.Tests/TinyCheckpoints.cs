using SlmOps.Contracts;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Torch;

namespace SlmOps.Serving.Tests;

/// <summary>
/// Tiny randomly initialised checkpoints published where the worker puts them (Artifacts:Root/models/&lt;weights
/// sha256&gt;), so serving reads them exactly as it reads trained ones.
/// </summary>
public static class TinyCheckpoints
{
    public static CharPairTokenizer Tokenizer { get; } =
        CharPairTokenizer.Train(["the quick brown fox jumps over the lazy dog. hello world, said the small model!"]);

    public static FftConfig LlmConfig => ModelPresets.TinyFft(Tokenizer.VocabSize, 16);
    public static GptConfig GptLlmConfig => ModelPresets.TinyGpt(Tokenizer.VocabSize, 16);
    public static FftConfig SlmConfig => ModelPresets.TinyFft(Tokenizer.VocabSize, 12) with { Width = 16, Layers = 1 };

    /// <summary>Saves a fresh LLM (fft, or gpt); returns the sha256 of its weights file (its folder name).</summary>
    public static string SaveLlm(string modelsRoot, int seed, string architecture = "fft")
    {
        torch.manual_seed(seed);
        using var model = ModelFactory.Create(architecture == "gpt" ? GptLlmConfig : LlmConfig);
        return Publish(modelsRoot, dir => ModelCheckpoint.SaveLanguageModel(dir, model, Tokenizer));
    }

    /// <summary>Saves a fresh tokens-mode follower of the LLM in <paramref name="llmDir"/>; returns its weights file's sha256.</summary>
    public static string SaveFollower(string modelsRoot, string llmDir, int seed)
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(llmDir);
        using var llm = new FrozenLlm(model);
        using var follower = NewFollower(llm, seed);
        return Publish(modelsRoot, dir => ModelCheckpoint.SaveFollower(dir, follower, Tokenizer, llm));
    }

    /// <summary>
    /// Saves bottleneck adapters for the LLM in <paramref name="llmDir"/> with random (non-zero) up-projections, so they
    /// change what the LLM generates; returns their weights file's sha256.
    /// </summary>
    public static string SaveAdapters(string modelsRoot, string llmDir, int seed)
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(llmDir);
        using var llm = new FrozenLlm(model);
        torch.manual_seed(seed);
        using var adapters = AdapterSet.Attach(llm.Model, bottleneck: 4);
        using (torch.no_grad())
            foreach (var (mixing, mlp) in adapters.Layers)
                foreach (var up in new[] { mixing.Up, mlp.Up })
                    using (var noise = torch.randn(up.shape))
                        up.copy_(noise);
        adapters.DetachFrom();
        return Publish(modelsRoot, dir => adapters.Save(dir), PeftFiles.WeightsFile);
    }

    /// <summary>Plug-in LoRA modules for the LLM in <paramref name="llmDir"/>, in a small model's half widths, with random (non-zero) B and W_plug.</summary>
    public static string SavePluginLora(string modelsRoot, string llmDir, int seed)
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(llmDir);
        using var llm = new FrozenLlm(model);
        torch.manual_seed(seed);
        var config = new PluginConfig(0, llm.Model.BlockCount, LlmConfig.Width / 2, LlmConfig.Width, 1, 8, llm.WeightsSha256)
        {
            Module = "lora", Rank = 2, Alpha = 4, SmallMlpWidth = LlmConfig.EmbeddingDim / 2, LlmMlpWidth = LlmConfig.EmbeddingDim, VocabSize = LlmConfig.VocabSize,
        };
        using var modules = PluginModules.Create(config, Device.CPU);
        using (torch.no_grad())
            foreach (var (_, p) in modules.named_parameters().Where(p => p.Name.EndsWith("lora_b", StringComparison.Ordinal) || p.Name.StartsWith("w_plug", StringComparison.Ordinal)))
                using (var noise = torch.randn(p.shape))
                    p.copy_(noise);
        return Publish(modelsRoot, dir => modules.Save(dir), PeftFiles.WeightsFile);
    }

    /// <summary>What the LLM in <paramref name="llmDir"/> generates with the modules in <paramref name="adapterDir"/> attached, computed without serving.</summary>
    public static string ExpectedWithAdapters(string llmDir, string adapterDir, string prompt, GenerationOptions options, string method = "adapter")
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(llmDir);
        using (model)
        using (var modules = AttachedModules.Load(method, adapterDir, model))
            return Tokenizer.Decode(TextGenerator.Generate(model, Tokenizer.Encode(prompt), options));
    }

    /// <summary>
    /// Saves a prefix of <paramref name="length"/> positions for the LLM in <paramref name="llmDir"/>, moved away from its
    /// initial text by noise so it changes what the LLM generates; returns its weights file's sha256.
    /// </summary>
    public static string SavePrefix(string modelsRoot, string llmDir, int length, int seed)
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(llmDir);
        using var llm = new FrozenLlm(model);
        using var prefix = PrefixSet.Create(llm.Model, length, Tokenizer.Encode("the quick brown fox"));
        torch.manual_seed(seed);
        using (torch.no_grad())
            foreach (var p in prefix.parameters())
                using (var noise = torch.randn(p.shape))
                    p.add_(noise);
        return Publish(modelsRoot, dir => prefix.Save(dir), PeftFiles.WeightsFile);
    }

    /// <summary>
    /// What the LLM in <paramref name="llmDir"/> generates reading the prefix in <paramref name="prefixDir"/>, computed
    /// without serving nor any cache: every token from the LLM's own forward over the prefix and the last T - P tokens.
    /// </summary>
    public static string ExpectedWithPrefix(string llmDir, string prefixDir, string prompt, GenerationOptions options)
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(llmDir);
        using (model)
        using (var prefix = PrefixSet.Load(prefixDir, model))
            return Tokenizer.Decode(ReferenceGenerator.Generate(model, prefix, Tokenizer.Encode(prompt), options).Tokens.ToArray());
    }

    /// <summary>Bytes of one tiny LLM's parameters in memory, and their count (what the registry records).</summary>
    public static long LlmBytes(string architecture = "fft")
    {
        using var model = ModelFactory.Create(architecture == "gpt" ? GptLlmConfig : LlmConfig);
        return ModelMemory.Bytes(model);
    }

    public static long LlmParameters(string architecture = "fft") => LlmBytes(architecture) / sizeof(float);

    /// <summary>Bytes of parameters one follower of <see cref="SlmConfig"/> holds in memory.</summary>
    public static long FollowerBytes()
    {
        using var llm = new FrozenLlm(new FftLanguageModel(LlmConfig));
        using var follower = NewFollower(llm, 1);
        return ModelMemory.Bytes(follower);
    }

    private static SlmFollower NewFollower(FrozenLlm llm, int seed)
    {
        torch.manual_seed(seed);
        var options = new CouplingOptions { Mode = CouplingMode.Tokens, Initialization = SlmInitialization.Random };
        var slm = new FftLanguageModel(SlmConfig);
        SlmInitializer.Apply(slm, llm.Model, options);
        return new SlmFollower(slm, options, llm.Model.Config.Width);
    }

    private static string Publish(string modelsRoot, Func<string, Sha256Manifest> save, string weightsFile = ModelCheckpoint.WeightsFile)
    {
        var staging = Path.Combine(modelsRoot, $"staging-{Guid.NewGuid():N}");
        var sha = save(staging).Files[weightsFile];
        var final = Path.Combine(modelsRoot, sha);
        if (Directory.Exists(final)) Directory.Delete(staging, recursive: true);
        else Directory.Move(staging, final);
        return sha;
    }
}
