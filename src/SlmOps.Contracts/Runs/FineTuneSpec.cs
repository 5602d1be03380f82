using System.Text.Json;

namespace SlmOps.Contracts.Runs;

/// <summary>The config of a TrainTaskModel run: adapt a frozen base model version to a task.</summary>
public sealed record FineTuneSpec
{
    public long BaseModelVersionId { get; init; }

    /// <summary>A dataset version prepared with the base model's tokenizer.</summary>
    public long DatasetVersionId { get; init; }

    /// <summary>The registry name of the task model the result becomes a version of.</summary>
    public string TaskModelName { get; init; } = "";

    /// <summary>slm, slm-alone, lora, full-finetune, adapter, prefix or plugin-peft.</summary>
    public string Method { get; init; } = "slm";

    /// <summary>tokens, logits or hidden (method slm).</summary>
    public string Coupling { get; init; } = "tokens";

    /// <summary>random, copy-tables or inherit.</summary>
    public string Initialization { get; init; } = "copy-tables";

    public int InheritBlocks { get; init; }

    /// <summary>SLM preset name (slm, slm-alone); the vocabulary comes from the base model.</summary>
    public string? SlmPreset { get; init; }

    /// <summary>Or a full Modeling ModelConfig object; wins over SlmPreset.</summary>
    public JsonElement? Slm { get; init; }

    public int LoraRank { get; init; } = 8;

    /// <summary>adapter and plugin-peft: the adapters' bottleneck width m (1..the LLM's width).</summary>
    public int AdapterBottleneck { get; init; } = 8;

    /// <summary>prefix: window positions the trainable prefix takes (shorter than the LLM's window).</summary>
    public int PrefixLength { get; init; } = 4;

    /// <summary>plugin-peft: the bridge keeps 1/r of each of the LLM's feature dimensions (fft LLMs).</summary>
    public int PluginRatio { get; init; } = 8;

    /// <summary>plugin-peft: the small model is the LLM's first k blocks (unless <see cref="PluginSmallBaseModelVersionId"/> names one).</summary>
    public int PluginSmallLayers { get; init; } = 1;

    /// <summary>
    /// plugin-peft: the module trained on the small model and plugged into the LLM: "adapter" (bottleneck width
    /// <see cref="AdapterBottleneck"/>) or "lora" (rank <see cref="LoraRank"/>, on every Linear).
    /// </summary>
    public string PluginModule { get; init; } = DefaultPluginModule;

    /// <summary>
    /// Adapters, though LoRA is the paper's main case: a spec stored before LoRA existed (no pluginModule) keeps meaning
    /// what it meant when it was submitted, a re-queued run resumes the adapter checkpoints it already has, and cloning
    /// an old run re-runs the same method.
    /// </summary>
    public const string DefaultPluginModule = "adapter";

    /// <summary>plugin-peft: a base model version from the registry to use as the small model (same tokenizer as the LLM, same architecture).</summary>
    public long? PluginSmallBaseModelVersionId { get; init; }

    public TrainingSpec Training { get; init; } = new();

    /// <summary>Data-parallel ranks; null or worldSize 1 trains on one device.</summary>
    public DistributedSpec? Distributed { get; init; }
}
