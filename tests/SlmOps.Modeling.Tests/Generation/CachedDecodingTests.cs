using SlmOps.Contracts;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Models;
using SlmOps.Torch;
using static SlmOps.Modeling.Tests.Generation.DecodingModels;

namespace SlmOps.Modeling.Tests.Generation;

/// <summary>Cached decoding against the uncached sliding-window reference: same tokens, logits within 1e-5, past the window too.</summary>
public sealed class CachedDecodingTests
{
    public static TheoryData<string, string, double> Cases()
    {
        var data = new TheoryData<string, string, double>();
        foreach (var arch in new[] { "fft", "gpt" })
        foreach (var mode in new[] { "llm-alone", "tokens", "tokens-argmax", "logits", "hidden" })
        foreach (var temperature in new[] { 0.0, 1.0 })
            data.Add(arch, mode, temperature);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cached_generation_gives_the_reference_tokens_and_logits_past_the_window(string arch, string mode, double temperature)
    {
        using var llm = Llm(arch);
        using var follower = mode == "llm-alone" ? null
            : Follower(llm, arch, mode == "tokens-argmax" ? CouplingMode.Tokens : Enum.Parse<CouplingMode>(mode, ignoreCase: true), argmax: mode == "tokens-argmax");
        var options = new GenerationOptions { MaxNewTokens = 20, Temperature = temperature, Seed = 11 };

        foreach (var prompt in new[] { Prompt(3, seed: 1), Prompt(LlmWindow + 2, seed: 2) })
        {
            var reference = follower is null ? ReferenceGenerator.Generate(llm.Model, prompt, options) : ReferenceGenerator.Generate(llm, follower, prompt, options);

            using var decoder = new BatchDecoder(llm);
            var sequence = decoder.Join(prompt, follower, options);
            var steps = new List<DecodedToken>();
            while (!sequence.Left) steps.AddRange(decoder.Step());

            Assert.Equal(reference.Tokens, steps.Select(s => s.Token));
            for (var i = 0; i < steps.Count; i++)
                Assert.True(MaxDifference(reference.Logits[i], steps[i].Logits) <= 1e-5, $"step {i}: logits differ by {MaxDifference(reference.Logits[i], steps[i].Logits):E2}");
            var generated = follower is null ? TextGenerator.Generate(llm.Model, prompt, options) : TextGenerator.Generate(llm, follower, prompt, options);
            Assert.Equal(reference.Tokens, generated);
        }
    }

    [Theory]
    [InlineData("fft", "gpt")]
    [InlineData("gpt", "fft")]
    public void A_follower_of_the_other_architecture_decodes_like_the_reference_too(string llmArch, string slmArch)
    {
        using var llm = Llm(llmArch);
        using var follower = Follower(llm, slmArch, CouplingMode.Hidden);
        var options = new GenerationOptions { MaxNewTokens = 16, Seed = 5 };
        var prompt = Prompt(4, seed: 6);
        Assert.Equal(ReferenceGenerator.Generate(llm, follower, prompt, options).Tokens, TextGenerator.Generate(llm, follower, prompt, options));
    }

    [Fact]
    public void Sampled_generations_differ_by_seed_so_the_equality_above_is_not_trivial()
    {
        using var llm = Llm("fft");
        using var follower = Follower(llm, "fft", CouplingMode.Tokens);
        var a = TextGenerator.Generate(llm, follower, Prompt(3, 1), new GenerationOptions { MaxNewTokens = 20, Seed = 1 });
        var b = TextGenerator.Generate(llm, follower, Prompt(3, 1), new GenerationOptions { MaxNewTokens = 20, Seed = 2 });
        var alone = TextGenerator.Generate(llm.Model, Prompt(3, 1), new GenerationOptions { MaxNewTokens = 20, Seed = 1 });
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, alone);
    }

    [Fact]
    public void Cached_fft_decoding_reads_only_the_lower_triangle_as_the_uncached_model_does()
    {
        using var llm = Llm("fft");
        using (torch.no_grad())
        {
            foreach (var block in ((FftLanguageModel)llm.Model).Blocks)
            foreach (var m in new[] { block.Mixing.Mix1, block.Mixing.Mix2 })
            {
                using var noise = torch.randn(m.shape);
                using var upper = noise.triu(1);
                m.add_(upper);
            }
        }
        var options = new GenerationOptions { MaxNewTokens = 12, Seed = 8 };
        var prompt = Prompt(3, seed: 9);
        var reference = ReferenceGenerator.Generate(llm.Model, prompt, options);

        using var decoder = new BatchDecoder(llm);
        decoder.Join(Prompt(5, seed: 10), null, options); // a longer row in the same steps
        var sequence = decoder.Join(prompt, null, options);
        var steps = new List<DecodedToken>();
        while (!sequence.Left) steps.AddRange(decoder.Step().Where(t => t.Sequence == sequence));

        Assert.Equal(reference.Tokens, steps.Select(s => s.Token));
        Assert.All(steps.Zip(reference.Logits), p => Assert.True(MaxDifference(p.First.Logits, p.Second) <= 1e-5));
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void Lora_adapters_apply_in_the_cached_path(string arch)
    {
        using var llm = Llm(arch);
        using var adapters = LoraAdapterSet.Attach(llm.Model, rank: 2, alpha: 4);
        using (torch.no_grad())
        {
            torch.manual_seed(5);
            foreach (var (name, p) in adapters.state_dict())
            {
                if (!name.EndsWith("lora_b", StringComparison.Ordinal)) continue;
                using var noise = torch.randn(p.shape);
                using var scaled = noise * 0.3;
                p.copy_(scaled);
            }
        }
        var options = new GenerationOptions { MaxNewTokens = 14, Seed = 4 };
        var prompt = Prompt(4, seed: 3);
        var reference = ReferenceGenerator.Generate(llm.Model, prompt, options);
        Assert.Equal(reference.Tokens, TextGenerator.Generate(llm.Model, prompt, options));

        adapters.DetachFrom();
        Assert.NotEqual(reference.Tokens, ReferenceGenerator.Generate(llm.Model, prompt, options).Tokens);
    }
}
