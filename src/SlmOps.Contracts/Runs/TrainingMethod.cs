using System.Text.Json.Serialization;

namespace SlmOps.Contracts.Runs;

/// <summary>How a fine-tune adapts the frozen LLM. The JSON names are those of runs.config and the API.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingMethod>))]
public enum TrainingMethod
{
    /// <summary>A small model that follows the frozen LLM in a coupling mode (the paper's method).</summary>
    [JsonStringEnumMemberName("slm")] Slm,

    /// <summary>Baseline: the small model trained on the task data alone.</summary>
    [JsonStringEnumMemberName("slm-alone")] SlmAlone,

    /// <summary>Baseline: LoRA adapters on the LLM (kept separate from its weights).</summary>
    [JsonStringEnumMemberName("lora")] Lora,

    /// <summary>Baseline: a full fine-tune of a copy of the LLM.</summary>
    [JsonStringEnumMemberName("full-finetune")] FullFinetune,

    /// <summary>Bottleneck adapters after every mixing/attention and MLP sublayer of the frozen LLM.</summary>
    [JsonStringEnumMemberName("adapter")] Adapter,

    /// <summary>Trainable prefix vectors at every layer of the frozen LLM (they take the window's first positions).</summary>
    [JsonStringEnumMemberName("prefix")] Prefix,

    /// <summary>Plug-in PEFT: adapters trained on a small model and a Fisher-pruned bridge, plugged into the LLM without a gradient through it.</summary>
    [JsonStringEnumMemberName("plugin-peft")] PluginPeft,
}

public static class TrainingMethods
{
    /// <summary>Every method's JSON name, in declaration order: what validation lists and forms offer.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<TrainingMethod>().Select(Name).ToArray();

    /// <summary>Methods that train a small model of their own (it needs an SLM architecture).</summary>
    public static bool TrainsSmallModel(TrainingMethod method) => method is TrainingMethod.Slm or TrainingMethod.SlmAlone;

    public static string Name(TrainingMethod method) => method switch
    {
        TrainingMethod.Slm => "slm",
        TrainingMethod.SlmAlone => "slm-alone",
        TrainingMethod.Lora => "lora",
        TrainingMethod.FullFinetune => "full-finetune",
        TrainingMethod.Adapter => "adapter",
        TrainingMethod.Prefix => "prefix",
        TrainingMethod.PluginPeft => "plugin-peft",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static bool TryParse(string? text, out TrainingMethod method)
    {
        foreach (var candidate in Enum.GetValues<TrainingMethod>())
        {
            if (!string.Equals(Name(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
            method = candidate;
            return true;
        }
        method = default;
        return false;
    }

    public static TrainingMethod Parse(string text) => TryParse(text, out var method)
        ? method
        : throw new FormatException($"'{text}' is not a training method; use one of {string.Join(", ", Enum.GetValues<TrainingMethod>().Select(Name))}.");
}
