using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// One generation at a time, decoded with caches (a <see cref="BatchDecoder"/> holding just this sequence): the LLM
/// alone, or composed with a follower on an already-loaded <see cref="FrozenLlm"/>, so serving many followers never
/// reloads the LLM. The tokens equal <see cref="ReferenceGenerator"/>'s sliding-window recomputation.
/// </summary>
public static class TextGenerator
{
    /// <summary>The LLM (or any language model) alone.</summary>
    public static int[] Generate(LanguageModel model, IReadOnlyList<int> prompt, GenerationOptions options) =>
        Decode(model, null, prompt, options);

    /// <summary>
    /// LLM + SLM in the follower's coupling mode. In tokens mode the SLM reads, at each position, one token drawn from
    /// the LLM's distribution there with this request's RNG (drawn once per position, see the README).
    /// </summary>
    public static int[] Generate(FrozenLlm llm, SlmFollower follower, IReadOnlyList<int> prompt, GenerationOptions options) =>
        Decode(llm.Model, follower, prompt, options);

    private static int[] Decode(LanguageModel llm, SlmFollower? follower, IReadOnlyList<int> prompt, GenerationOptions options)
    {
        DecodeSequence.CheckPrompt(prompt, llm.Config.VocabSize);
        if (options.MaxNewTokens <= 0) return [];
        // One sequence: the cache need not reach beyond its final length.
        var window = Math.Min(DecodeSequence.WindowOf(llm, follower), prompt.Count + options.MaxNewTokens);
        using var decoder = new BatchDecoder(llm, window);
        var sequence = decoder.Join(prompt, follower, options);
        while (!sequence.Left) decoder.Step();
        return sequence.Generated.ToArray();
    }
}
