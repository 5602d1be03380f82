using System.Text;
using System.Text.Json;

namespace SlmOps.Modeling.Tokenizers;

/// <summary>
/// The paper's tokenizer: cleaned ASCII text cut into consecutive 2-character tokens (a text of odd
/// length ends in a 1-character token). Ids 0..n-1 are the seen tokens in ordinal order; id n is
/// <c>&lt;unk&gt;</c>, which any token not seen during training encodes to and which decodes to
/// <see cref="UnknownText"/>. VocabSize is therefore n + 1.
/// </summary>
public sealed class CharPairTokenizer : ITokenizer
{
    public const string KindName = "char-pair";
    public const string UnknownToken = "<unk>";
    /// <summary>What decoding the unknown id produces: one ASCII character, so decode stays 1:1 with positions.</summary>
    public const string UnknownText = "?";

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;
    private readonly Lazy<byte[]> _json;
    private readonly Lazy<string> _hash;

    private CharPairTokenizer(string[] sortedTokens, CleaningOptions cleaning)
    {
        _tokens = sortedTokens;
        Cleaning = cleaning;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _tokens.Length; i++) _ids.Add(_tokens[i], i);
        _json = new Lazy<byte[]>(WriteJson);
        _hash = new Lazy<string>(() => TokenizerArtifact.HashOf(_json.Value));
    }

    public string Kind => KindName;
    public CleaningOptions Cleaning { get; }
    public IReadOnlyList<string> Tokens => _tokens;
    public int UnknownId => _tokens.Length;
    public int VocabSize => _tokens.Length + 1;
    public string Hash => _hash.Value;

    /// <summary>Builds the vocabulary as the sorted set of 2-character tokens seen in the cleaned corpus.</summary>
    public static CharPairTokenizer Train(IEnumerable<string> documents, CleaningOptions? cleaning = null)
    {
        cleaning ??= CleaningOptions.Default;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in documents)
            foreach (var token in Cut(TextCleaner.Clean(doc, cleaning)))
                seen.Add(token);
        return FromTokens(seen, cleaning);
    }

    public static CharPairTokenizer FromTokens(IEnumerable<string> tokens, CleaningOptions cleaning)
    {
        var sorted = tokens.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var t in sorted)
            if (t.Length is < 1 or > 2 || t.Any(c => c is < ' ' or > '~'))
                throw new ArgumentException($"'{t}' is not a 1- or 2-character printable ASCII token.", nameof(tokens));
        Array.Sort(sorted, StringComparer.Ordinal);
        return new CharPairTokenizer(sorted, cleaning);
    }

    public string Clean(string text) => TextCleaner.Clean(text, Cleaning);

    public int[] Encode(string text) => EncodeCleaned(Clean(text));

    /// <summary>Encodes text that is already clean (no cleaning rules are applied).</summary>
    public int[] EncodeCleaned(string cleaned)
    {
        var ids = new int[(cleaned.Length + 1) / 2];
        var i = 0;
        foreach (var token in Cut(cleaned))
            ids[i++] = _ids.TryGetValue(token, out var id) ? id : UnknownId;
        return ids;
    }

    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder(ids.Length * 2);
        foreach (var id in ids)
        {
            if ((uint)id < (uint)_tokens.Length) sb.Append(_tokens[id]);
            else if (id == UnknownId) sb.Append(UnknownText);
            else throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id outside the vocabulary of {VocabSize}.");
        }
        return sb.ToString();
    }

    public static IEnumerable<string> Cut(string cleaned)
    {
        for (var i = 0; i < cleaned.Length; i += 2)
            yield return cleaned.Substring(i, Math.Min(2, cleaned.Length - i));
    }

    public byte[] ToCanonicalJson() => (byte[])_json.Value.Clone();

    private byte[] WriteJson() => TokenizerArtifact.WriteCanonical(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", KindName);
        w.WriteNumber("version", 1);
        w.WriteStartObject("cleaning");
        w.WriteBoolean("lowercase", Cleaning.Lowercase);
        w.WriteBoolean("removeUrls", Cleaning.RemoveUrls);
        w.WriteBoolean("removeMarkupTags", Cleaning.RemoveMarkupTags);
        w.WriteBoolean("removeSquareBrackets", Cleaning.RemoveSquareBrackets);
        w.WriteBoolean("removeParentheses", Cleaning.RemoveParentheses);
        w.WriteBoolean("removeDigits", Cleaning.RemoveDigits);
        w.WriteBoolean("expandContractions", Cleaning.ExpandContractions);
        w.WriteEndObject();
        w.WriteString("unknownToken", UnknownToken);
        w.WriteStartArray("tokens");
        foreach (var t in _tokens) w.WriteStringValue(t);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    internal static CharPairTokenizer FromJson(JsonElement root)
    {
        var c = root.GetProperty("cleaning");
        var cleaning = new CleaningOptions
        {
            Lowercase = c.GetProperty("lowercase").GetBoolean(),
            RemoveUrls = c.GetProperty("removeUrls").GetBoolean(),
            RemoveMarkupTags = c.GetProperty("removeMarkupTags").GetBoolean(),
            RemoveSquareBrackets = c.GetProperty("removeSquareBrackets").GetBoolean(),
            RemoveParentheses = c.GetProperty("removeParentheses").GetBoolean(),
            RemoveDigits = c.GetProperty("removeDigits").GetBoolean(),
            ExpandContractions = c.GetProperty("expandContractions").GetBoolean(),
        };
        var tokens = root.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()!);
        return FromTokens(tokens, cleaning);
    }
}
