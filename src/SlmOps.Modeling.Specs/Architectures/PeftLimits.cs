namespace SlmOps.Modeling.Architectures;

/// <summary>
/// What each parameter-efficient method's settings must satisfy for a given LLM, as messages (null = fine): the one
/// place the modules (SlmOps.Modeling.Peft), the comparison and the runs API's validation read these rules from.
/// </summary>
public static class PeftLimits
{
    /// <summary>A bottleneck adapter's width m must be in 1..E.</summary>
    public static string? AdapterBottleneck(long width, int bottleneck) =>
        bottleneck < 1 || bottleneck > width ? $"The adapter bottleneck must be between 1 and the model's width {width}, got {bottleneck}." : null;

    /// <summary>A prefix sits at the window's first positions, so it must leave at least one for the text.</summary>
    public static string? PrefixLength(int window, int length) =>
        length < 1 ? $"The prefix length must be at least 1, got {length}."
        : length >= window ? $"A prefix of {length} positions leaves no room in the model's window of {window}: the prefix sits at the window's first positions, so it must be shorter than {window}."
        : null;

    /// <summary>With a prefix of <paramref name="length"/>, training sequences get the rest of the window.</summary>
    public static string? PrefixBlockSize(int window, int length, int? blockSize) =>
        blockSize is { } block && length < window && block > window - length
            ? $"A prefix of {length} positions leaves {window - length} of the model's window of {window} for the text; set training.blockSize to at most {window - length} (or leave it out)."
            : null;

    /// <summary>Plug-in PEFT's bridge keeps 1/r of each fft feature dimension; none may drop to zero.</summary>
    public static string? PluginRatio(ModelConfig llm, int ratio)
    {
        if (ratio < 1) return $"The bridge's reduction factor r must be at least 1, got {ratio}.";
        if (llm is not FftConfig fft)
            return $"Plug-in PEFT's Fisher-pruned bridge is built for the fft architecture only; a {llm.Architecture} LLM would need its attention heads pruned per head, which is not implemented.";
        if (fft.Width / ratio < 1) return $"A reduction factor r={ratio} leaves the bridge's residual width {fft.Width}/{ratio} = 0; use r <= {fft.Width}.";
        if (fft.EmbeddingDim / ratio < 1)
            return $"A reduction factor r={ratio} leaves the bridge's table and MLP width (Ve) {fft.EmbeddingDim}/{ratio} = 0; use r <= {fft.EmbeddingDim}.";
        return null;
    }

    /// <summary>Plug-in PEFT's small model is the LLM's first k blocks.</summary>
    public static string? PluginSmallLayers(ModelConfig llm, int k) =>
        k < 1 || k > llm.Layers ? $"Plug-in PEFT's small model takes the LLM's first k blocks; k must be in 1..{llm.Layers} (the LLM's depth), got {k}." : null;

    /// <summary>The kinds of module plug-in PEFT trains on the small model and plugs into the LLM.</summary>
    public static IReadOnlyList<string> PluginModules { get; } = ["adapter", "lora"];

    /// <summary>The runs API's default (see <see cref="Contracts.Runs.FineTuneSpec.DefaultPluginModule"/> for why adapters).</summary>
    public const string DefaultPluginModule = Contracts.Runs.FineTuneSpec.DefaultPluginModule;

    public static string? PluginModule(string? module) =>
        module is not null && PluginModules.Contains(module) ? null
            : $"Plug-in PEFT's module must be one of {string.Join(", ", PluginModules)}, got '{module}'.";

    /// <summary>
    /// A small model of its own (instead of the LLM's first k blocks) must carry the same modules at the same places as
    /// the LLM (the LLM's architecture: fft blocks with their sublayers and w1/w2), read the same ids (vocabulary) and
    /// take the blocks the LLM trains on (window).
    /// </summary>
    public static string? PluginSmallModel(ModelConfig llm, ModelConfig small, string module, int bottleneck)
    {
        if (small.Architecture != llm.Architecture)
            return $"The small model is a {small.Architecture} model, the LLM a {llm.Architecture} one: plug-in PEFT's {module} modules are depth-matched and projected " +
                $"onto the LLM's own sublayers, so the small model must have the LLM's architecture ({llm.Architecture}).";
        if (small.VocabSize != llm.VocabSize)
            return $"The small model's vocabulary ({small.VocabSize}) differs from the LLM's ({llm.VocabSize}); it must read the LLM's token ids.";
        if (small.BlockSize < llm.BlockSize)
            return $"The small model's window ({small.BlockSize}) is shorter than the LLM's ({llm.BlockSize}); it must read the blocks the LLM trains on.";
        if (module == "adapter" && AdapterBottleneck(small.Width, bottleneck) is { } problem) return $"On the small model: {problem}";
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with the message when there is one.</summary>
    public static void Ensure(string? problem)
    {
        if (problem is not null) throw new ArgumentException(problem);
    }
}
