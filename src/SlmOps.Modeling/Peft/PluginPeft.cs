using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

public sealed record PluginPeftOptions
{
    /// <summary>"adapter" or "lora" (see <see cref="PeftLimits.PluginModules"/>).</summary>
    public string Module { get; init; } = PeftLimits.DefaultPluginModule;
    /// <summary>k: the small model is the LLM's first k blocks with its tables and head (so it shares the tokenizer).</summary>
    public int SmallLayers { get; init; } = 1;
    /// <summary>The adapters' bottleneck width m.</summary>
    public int Bottleneck { get; init; } = 8;
    /// <summary>LoRA's rank (its alpha is 2·rank, as for LoRA on the LLM).</summary>
    public int Rank { get; init; } = 8;
    /// <summary>r: the bridge keeps 1/r of every feature dimension of the LLM.</summary>
    public int Ratio { get; init; } = 8;
    /// <summary>Task batches the Fisher scores are summed over.</summary>
    public int FisherBatches { get; init; } = 4;
}

/// <summary>
/// A small model of its own (from the registry, or pretrained separately) instead of the LLM's first k blocks, with the
/// tokenizers of both (checked equal before anything trains). The caller owns <see cref="Model"/>.
/// </summary>
public sealed record PluginSmallModel(FrozenLlm Model, string TokenizerSha256, string LlmTokenizerSha256);

/// <summary>What a plug-in PEFT run produced: the modules (plugged into the LLM) and each training stage's numbers.</summary>
public sealed record PluginPeftRun(PluginModules Modules, TrainingResult SmallStage, TrainingResult BridgeStage, int BridgeWidth, double ResidualFisherShareKept, long BridgeParameters);

/// <summary>
/// Plug-in PEFT (Jin, Zhang and Zong, EMNLP 2023, Algorithm 1) without any gradient through the LLM:
/// (a) modules (bottleneck adapters, or LoRA on every Linear) trained on a small model that shares the LLM's tokenizer
/// (the LLM's first k blocks, or a small model of its own: <see cref="PluginSmallModel"/>);
/// (b) W_plug per feature kind (E_l × E_s, identity on the leading coordinates) and depth matching: LLM block l gets a
/// copy of small layer ⌊l·k/L⌋; (c) a bridge: the LLM pruned to 1/r of its features by Fisher information on task data
/// (<see cref="FisherBridge"/>); (d) the modules, W_plug and W_down (one per pruned feature axis the modules read,
/// started as the bridge's selection of that axis' coordinates) fine-tuned on the frozen bridge; (e) the modules and
/// W_plug plugged into the full LLM.
/// </summary>
public static class PluginPeft
{
    public static void Validate(ModelConfig llm, PluginPeftOptions options)
    {
        PeftLimits.Ensure(PeftLimits.PluginModule(options.Module));
        FisherBridge.Validate(llm, options.Ratio);
        PeftLimits.Ensure(PeftLimits.PluginSmallLayers(llm, options.SmallLayers));
        if (options.Module == "adapter") AdapterSet.Validate(llm.Width, options.Bottleneck);
        if (options.Rank < 1) throw new ArgumentException($"The LoRA rank must be at least 1, got {options.Rank}.");
        if (options.FisherBatches < 1) throw new ArgumentException($"The Fisher scores need at least one batch, got {options.FisherBatches}.");
    }

    /// <summary>Refuses a small model of its own that reads other ids than the LLM's or cannot carry the modules.</summary>
    public static void Validate(ModelConfig llm, PluginPeftOptions options, PluginSmallModel small)
    {
        PeftLimits.Ensure(SameTokenizer.Problem("small model", small.LlmTokenizerSha256, small.TokenizerSha256));
        PeftLimits.Ensure(PeftLimits.PluginSmallModel(llm, small.Model.Model.Config, options.Module, options.Bottleneck));
    }

    /// <param name="small">A small model of its own; null: the LLM's first <see cref="PluginPeftOptions.SmallLayers"/> blocks.</param>
    /// <param name="stage">Called as each stage starts ("small", "bridge-prune", "bridge-train"), e.g. to measure memory per stage.</param>
    /// <param name="checkpointRoot">Where each training stage keeps its resumable checkpoint (subfolders small/ and bridge/); a
    /// re-queued run resumes there (the Fisher pass in between is deterministic on the same data).</param>
    public static PluginPeftRun Train(FrozenLlm llm, int[] taskTrain, TrainingOptions training, PluginPeftOptions options,
        Action<string, TrainingProgress>? progress = null, Action<string>? stage = null, string? checkpointRoot = null,
        PluginSmallModel? small = null, CancellationToken cancellation = default)
    {
        string? Checkpoints(string name) => checkpointRoot is null ? null : Path.Combine(checkpointRoot, name);
        Validate(llm.Model.Config, options);
        if (small is not null) Validate(llm.Model.Config, options, small);
        var device = Device.Parse(training.Device);
        var block = training.BlockSize ?? llm.BlockSize;
        var layers = llm.Model.BlockCount;

        stage?.Invoke("small");
        FrozenLlm? derived = small is null ? new FrozenLlm(SmallModel(llm.Model, options.SmallLayers, device)) : null;
        var smallModel = small?.Model ?? derived!;
        TrainingResult smallRun;
        PluginModules modules;
        try
        {
            var config = Config(llm, smallModel.Model, options);
            // A small model of its own trains on the blocks the LLM will read (its own window may be longer).
            var smallTraining = small is null ? training : training with { BlockSize = block };
            (smallRun, modules) = config.IsLora
                ? TrainLora(smallModel, config, layers, taskTrain, smallTraining, Checkpoints("small"), progress, cancellation, device)
                : TrainAdapters(smallModel, config, layers, taskTrain, smallTraining, Checkpoints("small"), progress, cancellation, device);
        }
        finally { derived?.Dispose(); }

        stage?.Invoke("bridge-prune");
        var bridge = FisherBridge.Build(llm.Model, taskTrain, options.Ratio, options.FisherBatches, training.BatchSize, block, device);
        stage?.Invoke("bridge-train");
        TrainingResult bridgeRun;
        using (var frozenBridge = new FrozenLlm(bridge.Model))
        using (var bridgeStage = new BridgeStage(modules, modules.Axes.ToDictionary(a => a, a => Selection(bridge.Kept[a], LlmWidth(llm.Model.Config, a), device))))
        {
            modules.AttachTo(frozenBridge.Model, bridgeStage.WDown);
            try
            {
                bridgeRun = smallRun.Cancelled ? smallRun : new Trainer(training).Run(PeftObjective.Attached(frozenBridge, bridgeStage), taskTrain,
                    checkpointRoot: Checkpoints("bridge"), progress: p => progress?.Invoke("bridge", p), cancellation: cancellation);
            }
            finally { modules.DetachFrom(); }
            frozenBridge.VerifyUnchanged();
            modules.PlugInto(llm.Model);
            return new PluginPeftRun(modules, smallRun, bridgeRun, frozenBridge.Model.Config.Width, bridge.AxisScoreShareKept["res"], frozenBridge.Model.parameter_count());
        }
    }

    private static PluginConfig Config(FrozenLlm llm, LanguageModel small, PluginPeftOptions options)
    {
        var llmConfig = (FftConfig)llm.Model.Config;
        var smallConfig = (FftConfig)small.Config;
        return new PluginConfig(options.Bottleneck, llm.Model.BlockCount, smallConfig.Width, llmConfig.Width, small.BlockCount, options.Ratio, llm.WeightsSha256)
        {
            Module = options.Module, Rank = options.Rank, Alpha = 2.0 * options.Rank,
            SmallMlpWidth = smallConfig.EmbeddingDim, LlmMlpWidth = llmConfig.EmbeddingDim, VocabSize = llmConfig.VocabSize,
        };
    }

    private static (TrainingResult, PluginModules) TrainAdapters(FrozenLlm small, PluginConfig config, int layers, int[] taskTrain, TrainingOptions training,
        string? checkpoints, Action<string, TrainingProgress>? progress, CancellationToken cancellation, Device device)
    {
        using var trained = AdapterSet.Attach(small.Model, config.Bottleneck);
        TrainingResult run;
        try
        {
            run = new Trainer(training).Run(PeftObjective.Attached(small, trained), taskTrain, checkpointRoot: checkpoints,
                progress: p => progress?.Invoke("small", p), cancellation: cancellation);
        }
        finally { trained.DetachFrom(); }
        return (run, new PluginModules(config, DepthMatched(trained, layers, config.SmallLayers, config, device), torch.eye(config.LlmWidth, config.SmallWidth, device: device)));
    }

    private static (TrainingResult, PluginModules) TrainLora(FrozenLlm small, PluginConfig config, int layers, int[] taskTrain, TrainingOptions training,
        string? checkpoints, Action<string, TrainingProgress>? progress, CancellationToken cancellation, Device device)
    {
        using var trained = PluginLora.Create(new PluginLoraShape(small.Model.BlockCount, config.SmallWidth, config.SmallMlpWidth, config.VocabSize, config.Rank, config.Alpha), device);
        trained.AttachTo(small.Model, _ => null);
        TrainingResult run;
        try
        {
            run = new Trainer(training).Run(PeftObjective.Attached(small, trained), taskTrain, checkpointRoot: checkpoints,
                progress: p => progress?.Invoke("small", p), cancellation: cancellation);
        }
        finally { trained.DetachFrom(); }
        return (run, PluginModules.Of(config, trained.DepthMatched(layers, device), device));
    }

    /// <summary>The LLM's width along a feature axis: E for "res", Ve for "emb" and "mlp{i}".</summary>
    private static long LlmWidth(ModelConfig llm, string axis) => axis == "res" ? llm.Width : ((FftConfig)llm).EmbeddingDim;
    /// <summary>The LLM's tables, first k blocks, final norm and head: a small model that reads the same tokens the same way.</summary>
    public static LanguageModel SmallModel(LanguageModel llm, int k, Device device)
    {
        var small = ModelFactory.Create(llm.Config with { Layers = k });
        SlmInitializer.Apply(small, llm, new CouplingOptions { Mode = CouplingMode.Tokens, Initialization = SlmInitialization.Inherit, InheritBlocks = k });
        small.to(device);
        return small;
    }

    /// <summary>Depth matching: LLM block l gets a copy of the small model's adapter layer ⌊l·k/L⌋.</summary>
    private static AdapterSet DepthMatched(AdapterSet small, int layers, int smallLayers, PluginConfig config, Device device)
    {
        var matched = AdapterSet.Create(layers, config.SmallWidth, config.Bottleneck, config.BaseModelWeightsSha256, device);
        using var _ = torch.no_grad();
        for (var l = 0; l < layers; l++)
        {
            var (fromMixing, fromMlp) = small.Layers[l * smallLayers / layers];
            var (toMixing, toMlp) = matched.Layers[l];
            foreach (var (from, to) in new[] { (fromMixing, toMixing), (fromMlp, toMlp) })
            {
                to.Down.copy_(from.Down);
                to.DownBias.copy_(from.DownBias);
                to.Up.copy_(from.Up);
                to.UpBias.copy_(from.UpBias);
            }
        }
        return matched;
    }

    /// <summary>W_down started as the bridge's own choice: row i picks the LLM's residual coordinate kept[i].</summary>
    private static Tensor Selection(long[] kept, long llmWidth, Device device)
    {
        var values = new float[kept.Length * llmWidth];
        for (var i = 0; i < kept.Length; i++) values[i * llmWidth + kept[i]] = 1f;
        using var cpu = torch.tensor(values, [kept.Length, llmWidth]);
        return cpu.to(device);
    }

    /// <summary>What stage (d) trains: the plug-in modules and W_down per feature axis they read.</summary>
    private sealed class BridgeStage : torch.nn.Module
    {
        private readonly Dictionary<string, Tensor> _down = [];

        public BridgeStage(PluginModules modules, IReadOnlyDictionary<string, Tensor> wDown) : base(nameof(BridgeStage))
        {
            register_module("modules", modules);
            // "w_down" for the residual stream: the name adapter runs' bridge checkpoints have always used.
            foreach (var (axis, down) in wDown)
            {
                register_parameter(axis == "res" ? "w_down" : $"w_down_{axis}", torch.nn.Parameter(down));
                _down[axis] = get_parameter(axis == "res" ? "w_down" : $"w_down_{axis}")!;
            }
        }

        public Tensor? WDown(string axis) => _down.GetValueOrDefault(axis);

        /// <summary>Only W_down: the modules outlive the stage (they are plugged into the LLM next).</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing) foreach (var down in _down.Values) down.Dispose();
        }
    }
}
