using System.Globalization;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// Which characters of a prompt a tokenizer cannot represent. Byte-level BPE encodes every string. The paper's
/// char-pair tokenizer silently drops characters its cleaning cannot transliterate to ASCII and maps pairs it never
/// saw to &lt;unk&gt;; serving treats a character as unencodable when cleaning drops it or when no vocabulary token
/// contains it (it could only ever become &lt;unk&gt;). An unseen pair of known characters is accepted: the model
/// was trained with &lt;unk&gt; in the same places, as the paper does.
/// </summary>
public static class PromptEncoding
{
    /// <summary>The distinct offending characters (as strings, so surrogate pairs stay whole), in order of appearance.</summary>
    public static IReadOnlyList<string> UnencodableCharacters(ITokenizer tokenizer, string prompt)
    {
        if (tokenizer is not CharPairTokenizer pairs) return [];
        var known = new HashSet<char>(pairs.Tokens.SelectMany(t => t));
        var found = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(prompt);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            if (found.Contains(element) || element.All(char.IsWhiteSpace)) continue;
            // Digits are removed by a documented cleaning rule, not lost: the tokenizer was trained without them.
            if (pairs.Cleaning.RemoveDigits && element.All(char.IsAsciiDigit)) continue;
            var ascii = Transliteration.ToAscii(element).Where(c => c is >= ' ' and <= '~').ToArray();
            var usable = pairs.Cleaning.Lowercase ? ascii.Select(char.ToLowerInvariant) : ascii;
            if (ascii.Length == 0 || usable.Any(c => c != ' ' && !known.Contains(c))) found.Add(element);
        }
        return found;
    }
}
