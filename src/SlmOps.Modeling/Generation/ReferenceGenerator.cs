using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Torch;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// What generation means, computed the slow way: every step runs the models, with no cache, over the whole window
/// (the last W tokens, read at positions 0..W-1) and samples the last position. Cached decoding
/// (<see cref="BatchDecoder"/>, <see cref="TextGenerator"/>) must reproduce it token for token; the tests hold it to that.
/// </summary>
public static class ReferenceGenerator
{
    /// <summary>The LLM (or any language model) alone.</summary>
    public static GenerationTrace Generate(LanguageModel model, IReadOnlyList<int> prompt, GenerationOptions options) =>
        Run(model, null, prompt, options);

    /// <summary>LLM + SLM in the follower's coupling mode, on the window both read (the shorter of the two).</summary>
    public static GenerationTrace Generate(FrozenLlm llm, SlmFollower follower, IReadOnlyList<int> prompt, GenerationOptions options) =>
        Run(llm.Model, follower, prompt, options);

    /// <summary>The LLM reading <paramref name="prefix"/> and then the last T - P tokens (<see cref="PrefixSet.Logits"/>, as it trained).</summary>
    public static GenerationTrace Generate(LanguageModel model, PrefixSet prefix, IReadOnlyList<int> prompt, GenerationOptions options) =>
        Run(model, null, prompt, options, prefix);

    private static GenerationTrace Run(LanguageModel llm, SlmFollower? follower, IReadOnlyList<int> prompt, GenerationOptions options, PrefixSet? prefix = null)
    {
        DecodeSequence.CheckPrompt(prompt, llm.Config.VocabSize);
        llm.eval();
        follower?.eval();
        var window = DecodeSequence.WindowOf(llm, follower) - (prefix?.Length ?? 0);
        var vocab = llm.Config.VocabSize;
        var draws = follower?.Options.Mode == CouplingMode.Tokens ? new DrawnTokens(follower.Options, options) : null;
        var sampler = new TokenSampler(options);
        var device = llm.parameters().First().device;
        var tokens = new List<int>(prompt);
        var trace = new GenerationTrace([], []);
        using var _ = torch.no_grad();
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            using var scope = torch.NewDisposeScope();
            var start = Math.Max(0, tokens.Count - window);
            var ids = DecodeSequence.Upload(tokens.Skip(start).Select(t => (long)t).ToArray(), 1, device);
            var hidden = prefix is null ? llm.RunBlocks(llm.Embed(ids)) : prefix.Hidden(llm, ids);
            var llmLogits = llm.Head(hidden);
            Tensor last;
            if (follower is null) last = llmLogits.slice(1, ids.shape[1] - 1, ids.shape[1]);
            else
            {
                var slmIds = ids;
                if (draws is not null)
                {
                    draws.Draw(llmLogits.ToArray<float>(), start, vocab);
                    slmIds = DecodeSequence.Upload(draws.Window(start, tokens.Count), 1, device);
                }
                last = follower.Compose(slmIds, llmLogits, hidden, rows: null, lastOnly: true);
            }
            var row = last.ToArray<float>();
            trace.Logits.Add(row);
            trace.Tokens.Add(sampler.Sample(row));
            tokens.Add(trace.Tokens[^1]);
        }
        return trace;
    }
}

/// <summary>What a generation produced: the tokens, and at each step the logits (V floats) the token was sampled from.</summary>
public sealed record GenerationTrace(List<int> Tokens, List<float[]> Logits);
