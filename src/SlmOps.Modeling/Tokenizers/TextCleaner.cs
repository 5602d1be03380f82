using System.Text;
using System.Text.RegularExpressions;

namespace SlmOps.Modeling.Tokenizers;

/// <summary>
/// The paper's cleaning: the output is printable ASCII with single spaces, so the 2-character
/// vocabulary stays small (about a thousand pairs) and stable across corpora.
/// </summary>
public static partial class TextCleaner
{
    public static string Clean(string text, CleaningOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Transliterate first: curly apostrophes must become ASCII before contractions are matched.
        var s = Transliteration.ToAscii(text);
        if (options.RemoveUrls) s = UrlPattern().Replace(s, " ");
        if (options.RemoveMarkupTags)
        {
            s = TagPattern().Replace(s, " ");
            s = DecodeCommonEntities(s);
        }
        if (options.RemoveSquareBrackets) s = SquareBracketPattern().Replace(s, " ");
        if (options.RemoveParentheses) s = ParenthesesPattern().Replace(s, " ");
        if (options.ExpandContractions) s = Contractions.Expand(s);
        if (options.RemoveDigits) s = DigitPattern().Replace(s, "");
        s = KeepPrintableAscii(s);
        if (options.Lowercase) s = s.ToLowerInvariant();
        s = WhitespacePattern().Replace(s, " ");
        // Removing "[1]" from "word [1]." leaves "word ." — glue punctuation back to its word.
        s = SpaceBeforePunctuationPattern().Replace(s, "$1");
        return s.Trim();
    }

    private static string DecodeCommonEntities(string s) => s
        .Replace("&nbsp;", " ", StringComparison.Ordinal)
        .Replace("&lt;", "<", StringComparison.Ordinal)
        .Replace("&gt;", ">", StringComparison.Ordinal)
        .Replace("&quot;", "\"", StringComparison.Ordinal)
        .Replace("&#39;", "'", StringComparison.Ordinal)
        .Replace("&apos;", "'", StringComparison.Ordinal)
        .Replace("&amp;", "&", StringComparison.Ordinal);

    private static string KeepPrintableAscii(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c is >= ' ' and <= '~') sb.Append(c);
            else if (char.IsWhiteSpace(c)) sb.Append(' ');
            // Anything else (control characters, non-ASCII without a transliteration) is dropped.
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"(?:https?|ftp)://\S+|www\.\S+", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"<[^<>]{0,1000}>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex SquareBracketPattern();

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex ParenthesesPattern();

    [GeneratedRegex(@"[0-9]")]
    private static partial Regex DigitPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@" ([,.;:!?])")]
    private static partial Regex SpaceBeforePunctuationPattern();
}
