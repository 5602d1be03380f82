using System.Text.RegularExpressions;

namespace SlmOps.Modeling.Tokenizers;

/// <summary>
/// Expands English contractions ("don't" -> "do not", "I'm" -> "I am"). A trailing "'s" is only
/// expanded after pronouns and question words, because elsewhere it is usually a possessive.
/// </summary>
internal static partial class Contractions
{
    private static readonly Dictionary<string, string> IrregularNegations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["won"] = "will not",
        ["can"] = "cannot",
        ["shan"] = "shall not",
        ["ain"] = "am not",
    };

    private static readonly HashSet<string> IsContractors = new(StringComparer.OrdinalIgnoreCase)
    {
        "it", "that", "what", "there", "here", "he", "she", "who", "where", "how", "this", "when", "why",
    };

    public static string Expand(string s) => ContractionPattern().Replace(s, m =>
    {
        var word = m.Groups["w"].Value;
        var suffix = m.Groups["s"].Value.ToLowerInvariant();
        var expanded = Rewrite(word, suffix);
        if (expanded is null) return m.Value;
        return IsAllUpper(word) && word.Length > 1 ? expanded.ToUpperInvariant() : expanded;
    });

    private static string? Rewrite(string word, string suffix)
    {
        switch (suffix)
        {
            case "t" when word.EndsWith('n') || word.EndsWith('N'):
                if (IrregularNegations.TryGetValue(word, out var irregular))
                    return char.IsUpper(word[0]) ? char.ToUpperInvariant(irregular[0]) + irregular[1..] : irregular;
                return word[..^1] + " not";
            case "m": return word + " am";
            case "re": return word + " are";
            case "ve": return word + " have";
            case "ll": return word + " will";
            case "d": return word + " would";
            case "s" when word.Equals("let", StringComparison.OrdinalIgnoreCase): return word + " us";
            case "s" when IsContractors.Contains(word): return word + " is";
            default: return null;
        }
    }

    private static bool IsAllUpper(string word)
    {
        foreach (var c in word) if (!char.IsUpper(c)) return false;
        return true;
    }

    [GeneratedRegex(@"\b(?<w>[A-Za-z]+)'(?<s>t|m|re|ve|ll|d|s)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ContractionPattern();
}
