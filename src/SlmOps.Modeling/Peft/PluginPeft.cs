using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

public sealed record PluginPeftOptions
{
    /// <summary>k: the small model is the LLM's first k blocks with its tables and head (so it shares the tokenizer).</summary>
    public int SmallLayers { get; init; } = 1;
    /// <summary>The adapters' bottleneck width m.</summary>
    public int Bottleneck { get; init; } = 8;
    /// <summary>r: the bridge keeps 1/r of every feature dimension of the LLM.</summary>
    public int Ratio { get; init; } = 8;
    /// <summary>Task batches the Fisher scores are summed over.</summary>
    public int FisherBatches { get; init; } = 4;
}

/// <summary>What a plug-in PEFT run produced: the modules (plugged into the LLM) and each training stage's numbers.</summary>
public sealed record PluginPeftRun(PluginModules Modules, TrainingResult SmallStage, TrainingResult BridgeStage, int BridgeWidth, double ResidualFisherShareKept, long BridgeParameters);

/// <summary>
/// Plug-in PEFT (Jin, Zhang and Zong, EMNLP 2023, Algorithm 1) without any gradient through the LLM:
/// (a) adapters trained on a small model that shares the LLM's tokenizer (here the LLM's first k blocks);
/// (b) W_plug (E_l × E_s, identity when the widths match) and depth matching: LLM block l gets a copy of small layer
/// ⌊l·k/L⌋; (c) a bridge: the LLM pruned to 1/r of its features by Fisher information on task data
/// (<see cref="FisherBridge"/>); (d) the adapters, W_plug and W_down (E_b × E_l, started as the bridge's selection
/// of residual coordinates) fine-tuned on the frozen bridge; (e) the adapters and W_plug plugged into the full LLM.
/// </summary>
public static class PluginPeft
{
    public static void Validate(ModelConfig llm, PluginPeftOptions options)
    {
        FisherBridge.Validate(llm, options.Ratio);
        PeftLimits.Ensure(PeftLimits.PluginSmallLayers(llm, options.SmallLayers));
        AdapterSet.Validate(llm.Width, options.Bottleneck);
        if (options.FisherBatches < 1) throw new ArgumentException($"The Fisher scores need at least one batch, got {options.FisherBatches}.");
    }

    /// <param name="stage">Called as each stage starts ("small", "bridge-prune", "bridge-train"), e.g. to measure memory per stage.</param>
    /// <param name="checkpointRoot">Where each training stage keeps its resumable checkpoint (subfolders small/ and bridge/); a
    /// re-queued run resumes there (the Fisher pass in between is deterministic on the same data).</param>
    public static PluginPeftRun Train(FrozenLlm llm, int[] taskTrain, TrainingOptions training, PluginPeftOptions options,
        Action<string, TrainingProgress>? progress = null, Action<string>? stage = null, string? checkpointRoot = null, CancellationToken cancellation = default)
    {
        string? Checkpoints(string name) => checkpointRoot is null ? null : Path.Combine(checkpointRoot, name);
        Validate(llm.Model.Config, options);
        var device = Device.Parse(training.Device);
        var block = training.BlockSize ?? llm.BlockSize;
        var layers = llm.Model.BlockCount;
        var llmWidth = llm.Model.Config.Width;

        stage?.Invoke("small");
        AdapterSet trainedSmall;
        TrainingResult smallRun;
        long smallWidth;
        using (var small = new FrozenLlm(SmallModel(llm.Model, options.SmallLayers, device)))
        {
            smallWidth = small.Model.Config.Width;
            trainedSmall = AdapterSet.Attach(small.Model, options.Bottleneck);
            smallRun = new Trainer(training).Run(PeftObjective.Attached(small, trainedSmall), taskTrain, checkpointRoot: Checkpoints("small"),
                progress: p => progress?.Invoke("small", p), cancellation: cancellation);
            trainedSmall.DetachFrom();
        }
        var config = new PluginConfig(options.Bottleneck, layers, smallWidth, llmWidth, options.SmallLayers, options.Ratio, llm.WeightsSha256);
        PluginModules modules;
        using (trainedSmall)
            modules = new PluginModules(config, DepthMatched(trainedSmall, layers, options.SmallLayers, config, device), torch.eye(llmWidth, smallWidth, device: device));

        stage?.Invoke("bridge-prune");
        var bridge = FisherBridge.Build(llm.Model, taskTrain, options.Ratio, options.FisherBatches, training.BatchSize, block, device);
        stage?.Invoke("bridge-train");
        TrainingResult bridgeRun;
        using (var frozenBridge = new FrozenLlm(bridge.Model))
        using (var bridgeStage = new BridgeStage(modules, Selection(bridge.ResidualKept, llmWidth, device)))
        {
            modules.AttachTo(frozenBridge.Model, [bridgeStage.WDown, modules.WPlug]);
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

    /// <summary>What stage (d) trains: the plug-in modules and W_down.</summary>
    private sealed class BridgeStage : torch.nn.Module
    {
        public BridgeStage(PluginModules modules, Tensor wDown) : base(nameof(BridgeStage))
        {
            register_module("modules", modules);
            register_parameter("w_down", torch.nn.Parameter(wDown));
        }

        public Tensor WDown => get_parameter("w_down")!;

        /// <summary>Only W_down: the modules outlive the stage (they are plugged into the LLM next).</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing) WDown.Dispose();
        }
    }
}
