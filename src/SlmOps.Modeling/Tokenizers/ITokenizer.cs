namespace SlmOps.Modeling.Tokenizers;

/// <summary>
/// A tokenizer is an artifact: its whole definition serializes to canonical JSON, and the sha256 of
/// that JSON is its identity. An SLM may only follow an LLM whose tokenizer has the same hash.
/// </summary>
public interface ITokenizer
{
    /// <summary>Stable discriminator written into the artifact ("char-pair", "byte-bpe").</summary>
    string Kind { get; }

    int VocabSize { get; }

    /// <summary>Lower-case hex sha256 of <see cref="ToCanonicalJson"/>.</summary>
    string Hash { get; }

    int[] Encode(string text);

    string Decode(ReadOnlySpan<int> ids);

    /// <summary>UTF-8 JSON with a fixed property order and no whitespace, so equal tokenizers hash equally.</summary>
    byte[] ToCanonicalJson();
}
