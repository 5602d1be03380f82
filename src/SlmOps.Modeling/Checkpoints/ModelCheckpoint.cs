using System.Diagnostics;
using System.Text.Json;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Torch;

namespace SlmOps.Modeling.Checkpoints;

/// <summary>config.json of a model checkpoint: what the weights are, which tokenizer they speak, and what they follow.</summary>
public sealed record ModelCheckpointConfig
{
    public const int CurrentVersion = 1;
    public int Version { get; init; } = CurrentVersion;
    /// <summary>"llm" (a standalone language model) or "slm" (a follower of a frozen LLM).</summary>
    public required string Kind { get; init; }
    public required ModelConfig Model { get; init; }
    public required string TokenizerHash { get; init; }
    /// <summary>Followers only.</summary>
    public CouplingOptions? Coupling { get; init; }
    /// <summary>Followers only: WeightsHash of the LLM it was trained against.</summary>
    public string? BaseModelWeightsSha256 { get; init; }
    /// <summary>Followers only: residual width of that LLM (sizes the hidden-mode projection).</summary>
    public int? BaseModelWidth { get; init; }
}

/// <summary>
/// A model on disk: model.safetensors (the state dict; PyTorch reads it), config.json, tokenizer.json
/// (the artifact itself, so a checkpoint is self-contained) and a sha256 manifest checked on every load.
/// </summary>
public static class ModelCheckpoint
{
    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";
    public const string TokenizerFile = "tokenizer.json";

    public static Sha256Manifest SaveLanguageModel(string dir, LanguageModel model, ITokenizer tokenizer) =>
        Save(dir, model, tokenizer, new ModelCheckpointConfig { Kind = "llm", Model = model.Config, TokenizerHash = tokenizer.Hash });

    public static Sha256Manifest SaveFollower(string dir, SlmFollower follower, ITokenizer tokenizer, FrozenLlm llm) =>
        Save(dir, follower, tokenizer, new ModelCheckpointConfig
        {
            Kind = "slm",
            Model = follower.Slm.Config,
            TokenizerHash = tokenizer.Hash,
            Coupling = follower.Options,
            BaseModelWeightsSha256 = llm.WeightsSha256,
            BaseModelWidth = llm.Model.Config.Width,
        });

    public static ModelCheckpointConfig ReadConfig(string dir) =>
        JsonSerializer.Deserialize<ModelCheckpointConfig>(File.ReadAllText(Path.Combine(dir, ConfigFile)), ModelingJson.Options)
        ?? throw new InvalidDataException($"'{dir}/{ConfigFile}' is empty.");

    public static ITokenizer ReadTokenizer(string dir) => TokenizerArtifact.Load(Path.Combine(dir, TokenizerFile));

    /// <summary>
    /// Loads a language model after verifying every file against the manifest and, when given, the sha256
    /// of model.safetensors recorded at registration (so a registered LLM is provably the one trained).
    /// The weights are read once; the bytes that were hashed are the bytes loaded.
    /// </summary>
    /// <param name="weightsMismatch">Builds the error for weights whose sha256 is not the expected one (default: InvalidDataException).</param>
    public static (LanguageModel Model, ModelCheckpointConfig Config) LoadLanguageModel(string dir, string? expectedWeightsFileSha256 = null,
        CheckpointLoadTimings? timings = null, Func<string, string, Exception>? weightsMismatch = null)
    {
        var clock = Stopwatch.StartNew();
        var checkpoint = VerifiedCheckpoint.Open(dir);
        Lap(clock, timings, (t, ms) => t.VerifyFilesMs = ms);
        var config = ReadConfig(dir);
        if (config.Kind != "llm") throw new InvalidDataException($"'{dir}' holds a {config.Kind}, not a language model.");
        Lap(clock, timings, (t, ms) => t.ConfigMs = ms);
        var model = ModelFactory.CreateForLoading(config.Model);
        Lap(clock, timings, (t, ms) => t.ConstructMs = ms);
        try
        {
            checkpoint.LoadWeightsInto(model, (path, actual) => CheckWeights(path, actual, expectedWeightsFileSha256, weightsMismatch));
        }
        catch { model.Dispose(); throw; }
        Lap(clock, timings, (t, ms) => t.WeightsMs = ms);
        return (model, config);
    }

    /// <summary>The registered-hash check of a weights file, run on the same single read the weights are loaded from.</summary>
    private static void CheckWeights(string path, string actual, string? expected, Func<string, string, Exception>? mismatch)
    {
        if (expected is null || actual == expected) return;
        throw mismatch?.Invoke(path, actual) ?? new InvalidDataException($"'{path}' has sha256 {actual}, not the registered {expected}.");
    }

    /// <summary>
    /// Loads a follower for <paramref name="llm"/>, refusing one trained with another tokenizer or against other LLM
    /// weights, and (given <paramref name="expectedWeightsFileSha256"/>) one whose weights file is not the registered one.
    /// </summary>
    /// <param name="pool">Where to take a follower of the same shape to refill instead of building one (its memory is
    /// already mapped); a load that fails gives it back.</param>
    public static SlmFollower LoadFollower(string dir, FrozenLlm llm, string llmTokenizerHash, CheckpointLoadTimings? timings = null,
        string? expectedWeightsFileSha256 = null, Func<string, string, Exception>? weightsMismatch = null, FollowerPool? pool = null)
    {
        var clock = Stopwatch.StartNew();
        var checkpoint = VerifiedCheckpoint.Open(dir);
        Lap(clock, timings, (t, ms) => t.VerifyFilesMs = ms);
        var config = ReadConfig(dir);
        if (config.Kind != "slm" || config.Coupling is null || config.BaseModelWidth is null)
            throw new InvalidDataException($"'{dir}' does not hold an SLM follower.");
        if (config.TokenizerHash != llmTokenizerHash)
            throw new InvalidDataException($"The SLM in '{dir}' uses tokenizer {config.TokenizerHash}; the LLM uses {llmTokenizerHash}. An SLM can only follow an LLM with the same tokenizer.");
        if (config.BaseModelWeightsSha256 != llm.WeightsSha256)
            throw new InvalidDataException($"The SLM in '{dir}' was trained against LLM weights {config.BaseModelWeightsSha256}, not the loaded {llm.WeightsSha256}.");
        Lap(clock, timings, (t, ms) => t.ConfigMs = ms);
        var follower = pool?.Rent(config.Model, config.Coupling, config.BaseModelWidth.Value);
        if (follower is null)
        {
            using (torch.nn.init.NoInitScope()) // the coupling's own layers (e.g. the hidden-mode projection) are loaded too
                follower = new SlmFollower(ModelFactory.CreateForLoading(config.Model), config.Coupling, config.BaseModelWidth.Value);
        }
        else follower.Options = config.Coupling;
        Lap(clock, timings, (t, ms) => t.ConstructMs = ms);
        try { checkpoint.LoadWeightsInto(follower, (path, actual) => CheckWeights(path, actual, expectedWeightsFileSha256, weightsMismatch)); }
        catch
        {
            // Unverified values are never served: the module goes back to be overwritten by a later load, or away.
            if (pool is null) follower.Dispose();
            else pool.Return(follower);
            throw;
        }
        follower.eval();
        Lap(clock, timings, (t, ms) => t.WeightsMs = ms);
        return follower;
    }

    private static void Lap(Stopwatch clock, CheckpointLoadTimings? timings, Action<CheckpointLoadTimings, double> record)
    {
        if (timings is not null) record(timings, clock.Elapsed.TotalMilliseconds);
        clock.Restart();
    }

    private static Sha256Manifest Save(string dir, torch.nn.Module module, ITokenizer tokenizer, ModelCheckpointConfig config)
    {
        Directory.CreateDirectory(dir);
        module.save(Path.Combine(dir, WeightsFile), new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["slmops.kind"] = config.Kind,
            ["slmops.architecture"] = config.Model.Architecture,
        });
        File.WriteAllText(Path.Combine(dir, ConfigFile), JsonSerializer.Serialize(config, ModelingJson.Options));
        TokenizerArtifact.Save(tokenizer, Path.Combine(dir, TokenizerFile));
        return Sha256Manifest.Write(dir);
    }
}
