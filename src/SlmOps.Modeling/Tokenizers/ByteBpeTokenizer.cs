using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SlmOps.Modeling.Tokenizers;

/// <summary>
/// Byte-level BPE: ids 0..255 are the raw bytes, id 256+i is merge i. Text is first split into
/// chunks (words with their leading space, digit runs, punctuation runs, whitespace) that merges
/// never cross; the chunks concatenate back to the input, so any string round-trips exactly.
/// </summary>
public sealed partial class ByteBpeTokenizer : ITokenizer
{
    public const string KindName = "byte-bpe";
    private const string PretokenizerName = "gpt2-regex";
    private const int CacheLimit = 100_000;

    private readonly (int Left, int Right)[] _merges;
    private readonly Dictionary<long, int> _rankOfPair = new();
    private readonly byte[][] _bytesOfId;
    private readonly ConcurrentDictionary<string, int[]> _chunkCache = new(StringComparer.Ordinal);
    private readonly Lazy<byte[]> _json;
    private readonly Lazy<string> _hash;

    public ByteBpeTokenizer(IReadOnlyList<(int Left, int Right)> merges)
    {
        _merges = merges.ToArray();
        _bytesOfId = new byte[256 + _merges.Length][];
        for (var b = 0; b < 256; b++) _bytesOfId[b] = [(byte)b];
        for (var i = 0; i < _merges.Length; i++)
        {
            var (l, r) = _merges[i];
            var id = 256 + i;
            if ((uint)l >= id || (uint)r >= id)
                throw new ArgumentException($"Merge {i} ({l}, {r}) refers to an id not defined before it.", nameof(merges));
            if (!_rankOfPair.TryAdd(Key(l, r), i))
                throw new ArgumentException($"Merge {i} ({l}, {r}) is a duplicate.", nameof(merges));
            _bytesOfId[id] = [.. _bytesOfId[l], .. _bytesOfId[r]];
        }
        _json = new Lazy<byte[]>(WriteJson);
        _hash = new Lazy<string>(() => TokenizerArtifact.HashOf(_json.Value));
    }

    public string Kind => KindName;
    public int VocabSize => 256 + _merges.Length;
    public string Hash => _hash.Value;
    public IReadOnlyList<(int Left, int Right)> Merges => _merges;

    public ReadOnlySpan<byte> BytesOf(int id) => _bytesOfId[id];

    public static ByteBpeTokenizer Train(IEnumerable<string> documents, int vocabSize, int minPairFrequency = 2) =>
        new(BpeTrainer.LearnMerges(documents, vocabSize, minPairFrequency));

    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length / 3 + 1);
        foreach (var chunk in Chunks(text))
        {
            if (!_chunkCache.TryGetValue(chunk, out var chunkIds))
            {
                chunkIds = EncodeChunk(Encoding.UTF8.GetBytes(chunk));
                if (_chunkCache.Count < CacheLimit) _chunkCache.TryAdd(chunk, chunkIds);
            }
            ids.AddRange(chunkIds);
        }
        return [.. ids];
    }

    public string Decode(ReadOnlySpan<int> ids)
    {
        var bytes = new List<byte>(ids.Length * 3);
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_bytesOfId.Length)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id outside the vocabulary of {VocabSize}.");
            bytes.AddRange(_bytesOfId[id]);
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private int[] EncodeChunk(byte[] bytes)
    {
        var symbols = new List<int>(bytes.Length);
        foreach (var b in bytes) symbols.Add(b);
        while (symbols.Count > 1)
        {
            // Apply the earliest-learned merge present, exactly as training created them.
            var bestRank = int.MaxValue;
            for (var i = 0; i + 1 < symbols.Count; i++)
                if (_rankOfPair.TryGetValue(Key(symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                    bestRank = rank;
            if (bestRank == int.MaxValue) break;
            var (l, r) = _merges[bestRank];
            BpeTrainer.MergeInPlace(symbols, l, r, 256 + bestRank);
        }
        return [.. symbols];
    }

    /// <summary>Splits text into pre-tokens; their concatenation is always the input.</summary>
    internal static IEnumerable<string> Chunks(string text)
    {
        var pos = 0;
        foreach (Match m in ChunkPattern().Matches(text))
        {
            if (m.Index > pos) yield return text[pos..m.Index]; // never expected, kept for exactness
            yield return m.Value;
            pos = m.Index + m.Length;
        }
        if (pos < text.Length) yield return text[pos..];
    }

    internal static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    public byte[] ToCanonicalJson() => (byte[])_json.Value.Clone();

    private byte[] WriteJson() => TokenizerArtifact.WriteCanonical(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", KindName);
        w.WriteNumber("version", 1);
        w.WriteString("pretokenizer", PretokenizerName);
        w.WriteStartArray("merges");
        foreach (var (l, r) in _merges)
        {
            w.WriteStartArray();
            w.WriteNumberValue(l);
            w.WriteNumberValue(r);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    internal static ByteBpeTokenizer FromJson(JsonElement root)
    {
        var pre = root.GetProperty("pretokenizer").GetString();
        if (pre != PretokenizerName)
            throw new InvalidDataException($"Unsupported BPE pretokenizer '{pre}'; this build knows '{PretokenizerName}'.");
        var merges = root.GetProperty("merges").EnumerateArray()
            .Select(m => (m[0].GetInt32(), m[1].GetInt32()))
            .ToList();
        return new ByteBpeTokenizer(merges);
    }

    // GPT-2's pre-tokenization: contractions, letter runs, digit runs, other-symbol runs (each with an
    // optional leading space), and whitespace (trailing whitespace before a word stays separate).
    [GeneratedRegex(@"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex ChunkPattern();
}
