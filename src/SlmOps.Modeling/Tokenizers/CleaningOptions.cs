namespace SlmOps.Modeling.Tokenizers;

/// <summary>Which cleaning rules <see cref="TextCleaner"/> applies. Part of the tokenizer artifact (and its hash).</summary>
public sealed record CleaningOptions
{
    public bool Lowercase { get; init; } = true;
    public bool RemoveUrls { get; init; } = true;
    public bool RemoveMarkupTags { get; init; } = true;
    /// <summary>Square-bracketed text such as citation marks "[1]" or "[citation needed]".</summary>
    public bool RemoveSquareBrackets { get; init; } = true;
    /// <summary>Parenthesized asides such as "(see below)".</summary>
    public bool RemoveParentheses { get; init; } = true;
    public bool RemoveDigits { get; init; } = true;
    public bool ExpandContractions { get; init; } = true;

    public static CleaningOptions Default { get; } = new();
}
