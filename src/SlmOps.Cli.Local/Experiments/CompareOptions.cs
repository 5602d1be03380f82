using SlmOps.Modeling.Coupling;

namespace SlmOps.Cli.Local.Experiments;

/// <summary>Everything `slmops-local experiment compare` takes from its command line.</summary>
public sealed record CompareOptions
{
    public string? BaseCorpus { get; init; }
    public string? TaskCorpus { get; init; }
    public required string OutDir { get; init; }
    public bool Quick { get; init; }
    public string LlmPreset { get; init; } = "tiny-fft";
    public int? LlmWidth { get; init; }
    public int? LlmLayers { get; init; }
    public int? LlmBlock { get; init; }
    public int? SlmWidth { get; init; }
    public int? SlmLayers { get; init; }
    public int? SlmBlock { get; init; }
    public int? PretrainSteps { get; init; }
    public int? Steps { get; init; }
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 3e-3;
    public double PretrainLearningRate { get; init; } = 3e-3;
    public int LoraRank { get; init; } = 8;
    public SlmInitialization Initialization { get; init; } = SlmInitialization.CopyTables;
    public int InheritBlocks { get; init; }
    /// <summary>Tokens mode: feed the SLM the LLM's argmax instead of a sampled token.</summary>
    public bool Argmax { get; init; }
    /// <summary>Tokens mode: temperature of the LLM distribution the SLM's tokens are sampled from.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Tokens mode: draws the evaluation averages the SLM's probability over.</summary>
    public int EvalDraws { get; init; } = CouplingOptions.DefaultEvalDraws;
    public int AdapterBottleneck { get; init; } = 8;
    public int PrefixLength { get; init; } = 4;
    /// <summary>plugin-peft: k (the small model is the LLM's first k blocks) and r (the bridge keeps 1/r of each feature dimension).</summary>
    public int PluginSmallLayers { get; init; } = 1;
    public int PluginRatio { get; init; } = 8;
    /// <summary>plugin-peft: "adapter" or "lora" (PeftLimits.PluginModules).</summary>
    public string PluginModule { get; init; } = SlmOps.Modeling.Architectures.PeftLimits.DefaultPluginModule;
    /// <summary>plugin-peft: pretrain a small model of its own (the SLM's shape, the SLM's tokenizer) instead of taking the LLM's first k blocks.</summary>
    public bool PluginSmallPretrained { get; init; }
    /// <summary>Training seeds per method (K &gt;= 1); the report gives the mean and the min–max.</summary>
    public int Seeds { get; init; } = 1;
    public string? SlmTokenizer { get; init; }
    public IReadOnlyList<string>? Methods { get; init; }
    public int Seed { get; init; } = 1;
    /// <summary>Characters per built-in domain (default 20k quick, 200k otherwise).</summary>
    public int? GeneratedCharacters { get; init; }
}
