namespace SlmOps.Contracts;

/// <summary>
/// How an SLM follows the frozen LLM: one type for the spec, the training code and the registry column
/// (slm_versions.coupling_mode stores the lowercase name).
/// </summary>
public enum CouplingMode
{
    /// <summary>The paper: the SLM reads tokens sampled (or argmax-ed) from the LLM's next-token distributions.</summary>
    Tokens,
    /// <summary>The SLM reads x and its output is added to the LLM's logits (proxy-tuning-like).</summary>
    Logits,
    /// <summary>The SLM reads x plus a projection of the LLM's final hidden states; its output is added to the LLM's logits.</summary>
    Hidden,
}

public static class CouplingModes
{
    /// <summary>The JSON and database names ("tokens", "logits", "hidden").</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<CouplingMode>().Select(n => n.ToLowerInvariant()).ToArray();

    public static CouplingMode Parse(string text) =>
        Enum.TryParse<CouplingMode>(text.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _)
            ? mode
            : throw new FormatException($"'{text}' is not a coupling mode; use one of {string.Join(", ", Names)}.");
}
