using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>Modules that act inside an LLM's own forward (through its hooks) and come off it again.</summary>
public interface IAttachedModules : IDisposable
{
    /// <summary>Removes the modules from the LLM, which then computes exactly what it did before.</summary>
    void DetachFrom();
}

/// <summary>
/// Which task versions can be served as "the LLM plus its modules", and loading them onto an LLM (one place for the
/// method names the registry records).
/// </summary>
public static class AttachedModules
{
    /// <summary>Methods whose modules act through the LLM's own (cached) forward: LoRA, adapters, plug-in PEFT.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["lora", "adapter", "plugin-peft"];

    /// <summary>Why a method's versions cannot be served on an LLM's forward, or null when they can.</summary>
    public static string? WhyNotServable(string method) => method switch
    {
        "lora" or "adapter" or "plugin-peft" => null,
        "prefix" => "a prefix holds the first positions of every window, and cached decoding (which serving uses) has no place for them yet",
        _ => $"method '{method}' trains no modules for the LLM's forward",
    };

    /// <summary>Loads the modules saved in <paramref name="dir"/> onto <paramref name="llm"/> (checked against its weights hash) and attaches them.</summary>
    public static IAttachedModules Load(string method, string dir, LanguageModel llm) => method switch
    {
        "lora" => LoraAdapterSet.Load(dir, llm),
        "adapter" => AdapterSet.Load(dir, llm),
        "plugin-peft" => PluginModules.Load(dir, llm),
        _ => throw new NotSupportedException($"Task versions trained with method '{method}' cannot be attached: {WhyNotServable(method)}."),
    };
}
