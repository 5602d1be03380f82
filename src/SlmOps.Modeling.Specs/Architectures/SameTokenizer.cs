namespace SlmOps.Modeling.Architectures;

/// <summary>
/// The one rule for a model that reads the LLM's token ids (an SLM follower, plug-in PEFT's small model): it must use
/// the LLM's tokenizer, byte for byte. The comparison, the runs API's validation and the worker all read it from here.
/// </summary>
public static class SameTokenizer
{
    /// <summary>Why <paramref name="what"/> cannot read the LLM's ids (null when the tokenizers are the same), naming both hashes.</summary>
    public static string? Problem(string what, string llmTokenizerSha256, string otherTokenizerSha256, int? llmVocabSize = null, int? otherVocabSize = null)
    {
        if (llmTokenizerSha256 == otherTokenizerSha256 && llmVocabSize == otherVocabSize) return null;
        static string Vocabulary(int? size) => size is { } v ? $", vocabulary {v}" : "";
        return $"The {what}'s tokenizer (sha256 {otherTokenizerSha256}{Vocabulary(otherVocabSize)}) differs from the LLM's " +
            $"(sha256 {llmTokenizerSha256}{Vocabulary(llmVocabSize)}). The {what} must use the LLM's tokenizer: same ids, same meaning.";
    }
}
