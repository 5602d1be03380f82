using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>
/// What a PEFT version adds to its LLM: modules that act inside the LLM's own forward (through its hooks) and come off it
/// again, or a prefix that decoding reads before each window's text.
/// </summary>
public interface IAttachedModules : IDisposable
{
    /// <summary>Removes the modules from the LLM, which then computes exactly what it did before.</summary>
    void DetachFrom();

    /// <summary>The prefix decoding must read before the text (prefix tuning), or null when the modules act through hooks.</summary>
    PrefixSet? Prefix => null;
}

/// <summary>
/// Which task versions can be served as "the LLM plus its modules", and loading them onto an LLM (one place for the
/// method names the registry records).
/// </summary>
public static class AttachedModules
{
    /// <summary>
    /// Methods whose modules act through the LLM's own (cached) forward: LoRA, adapters, plug-in PEFT; and prefix tuning,
    /// whose prefix holds the first positions of every window (cached decoding writes it into each sequence's cache).
    /// </summary>
    public static IReadOnlyList<string> Methods { get; } = ["lora", "adapter", "plugin-peft", "prefix"];

    /// <summary>Why a method's versions cannot be served on an LLM's forward, or null when they can.</summary>
    public static string? WhyNotServable(string method) =>
        Methods.Contains(method) ? null : $"method '{method}' trains no modules for the LLM's forward";

    /// <summary>Loads the modules saved in <paramref name="dir"/> onto <paramref name="llm"/> (checked against its weights hash) and attaches them.</summary>
    public static IAttachedModules Load(string method, string dir, LanguageModel llm) => method switch
    {
        "lora" => LoraAdapterSet.Load(dir, llm),
        "adapter" => AdapterSet.Load(dir, llm),
        "plugin-peft" => PluginModules.Load(dir, llm),
        "prefix" => PrefixSet.Load(dir, llm),
        _ => throw new NotSupportedException($"Task versions trained with method '{method}' cannot be attached: {WhyNotServable(method)}."),
    };
}
