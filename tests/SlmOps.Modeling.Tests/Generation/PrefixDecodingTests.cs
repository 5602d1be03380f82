using SlmOps.Contracts;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Peft;
using SlmOps.Torch;
using static SlmOps.Modeling.Tests.Generation.DecodingModels;

namespace SlmOps.Modeling.Tests.Generation;

/// <summary>
/// Cached decoding of an LLM with a prefix (the prefix in cache positions 0..P-1, prompts from position P) against the
/// uncached reference: the LLM's own forward reading the prefix and then the last T - P tokens, every step from scratch.
/// </summary>
public sealed class PrefixDecodingTests
{
    private const int Length = 3;
    private const int TextWindow = LlmWindow - Length;

    private sealed record Request(string Name, int[] Prompt, GenerationOptions Options, int JoinAt, int? LeaveAt = null);

    /// <summary>A prefix of <see cref="Length"/> positions moved well away from its initial text, so it really changes what the LLM says.</summary>
    internal static PrefixSet Prefix(FrozenLlm llm, int seed = 7)
    {
        var prefix = PrefixSet.Create(llm.Model, Length, Prompt(Length, seed));
        torch.manual_seed(seed);
        using var _ = torch.no_grad();
        foreach (var p in prefix.parameters())
        {
            using var noise = torch.randn(p.shape);
            p.add_(noise);
        }
        return prefix;
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void Every_sequence_gets_the_tokens_and_logits_of_the_uncached_forward_with_the_prefix(string arch)
    {
        using var llm = Llm(arch);
        var hash = llm.WeightsSha256;
        using var prefix = Prefix(llm);
        Request[] requests =
        [
            new("a: greedy, short prompt, runs past the text window", Prompt(2, 1), new() { MaxNewTokens = 12, Temperature = 0 }, JoinAt: 0),
            new("b: sampled, leaves mid-way from a middle slot", Prompt(3, 2), new() { MaxNewTokens = 10, Seed = 2 }, JoinAt: 0, LeaveAt: 3),
            new("f: sampled, moves into b's slot when b leaves", Prompt(2, 6), new() { MaxNewTokens = 8, Seed = 6 }, JoinAt: 0),
            new("c: top-k, a prompt that fills the text window", Prompt(TextWindow, 3), new() { MaxNewTokens = 6, Seed = 3, TopK = 4 }, JoinAt: 0),
            new("d: sampled, joins at step 4, after b left", Prompt(1, 4), new() { MaxNewTokens = 9, Seed = 4 }, JoinAt: 4),
            new("e: greedy, prompt longer than the text window", Prompt(TextWindow + 2, 5), new() { MaxNewTokens = 5, Temperature = 0 }, JoinAt: 1),
        ];

        using var decoder = new BatchDecoder(llm, prefix);
        var sequences = new Dictionary<Request, DecodeSequence>();
        var received = requests.ToDictionary(r => r, _ => new List<DecodedToken>());
        for (var step = 0; sequences.Count < requests.Length || decoder.Count > 0; step++)
        {
            foreach (var r in requests.Where(r => r.JoinAt == step)) sequences[r] = decoder.Join(r.Prompt, null, r.Options);
            foreach (var r in requests.Where(r => r.LeaveAt == step)) decoder.Leave(sequences[r]);
            foreach (var token in decoder.Step())
                received[requests.Single(r => sequences.GetValueOrDefault(r) == token.Sequence)].Add(token);
        }

        foreach (var r in requests)
        {
            var reference = ReferenceGenerator.Generate(llm.Model, prefix, r.Prompt, r.Options);
            var count = r.LeaveAt is { } leave ? leave - r.JoinAt : r.Options.MaxNewTokens;
            var got = received[r].Select(t => t.Token).ToList();
            Assert.True(reference.Tokens.Take(count).SequenceEqual(got), $"{r.Name}: expected [{string.Join(", ", reference.Tokens.Take(count))}], got [{string.Join(", ", got)}]");
            for (var i = 0; i < count; i++) Assert.True(MaxDifference(reference.Logits[i], received[r][i].Logits) < 1e-4, $"{r.Name}: logits of step {i}");
        }
        llm.VerifyUnchanged();
        Assert.Equal(hash, llm.WeightsSha256);
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void The_reference_with_a_prefix_is_the_llm_reading_the_prefix_and_then_the_text(string arch)
    {
        // A fresh prefix is the LLM's own stream over its initial tokens: reading it must equal reading those tokens.
        using var llm = Llm(arch);
        var init = Prompt(Length, 9);
        using var prefix = PrefixSet.Create(llm.Model, Length, init);
        var prompt = Prompt(2, 10);
        var options = new GenerationOptions { MaxNewTokens = 2, Temperature = 0 };
        var withPrefix = ReferenceGenerator.Generate(llm.Model, prefix, prompt, options);
        var asText = ReferenceGenerator.Generate(llm.Model, [.. init, .. prompt], options);
        Assert.Equal(asText.Tokens, withPrefix.Tokens);
        for (var i = 0; i < options.MaxNewTokens; i++) Assert.True(MaxDifference(asText.Logits[i], withPrefix.Logits[i]) < 1e-4);
    }

    [Fact]
    public void A_prefix_changes_what_the_llm_generates()
    {
        using var llm = Llm("fft");
        using var prefix = Prefix(llm);
        var options = new GenerationOptions { MaxNewTokens = 4, Temperature = 0 };
        var alone = ReferenceGenerator.Generate(llm.Model, Prompt(2, 1), options);
        var prefixed = ReferenceGenerator.Generate(llm.Model, prefix, Prompt(2, 1), options);
        Assert.True(MaxDifference(alone.Logits[0], prefixed.Logits[0]) > 1e-2);
    }

    [Fact]
    public void A_decoder_with_a_prefix_refuses_followers()
    {
        using var llm = Llm("fft");
        using var prefix = Prefix(llm);
        using var follower = Follower(llm, "fft", CouplingMode.Logits);
        using var decoder = new BatchDecoder(llm, prefix);
        Assert.Contains("prefix", Assert.Throws<ArgumentException>(() => decoder.Join([1, 2], follower, new())).Message);
        Assert.Equal(0, decoder.Count);
    }
}
