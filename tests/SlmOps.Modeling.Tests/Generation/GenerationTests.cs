using SlmOps.Contracts;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Generation;

public sealed class GenerationTests : IDisposable
{
    private const int Vocab = 19;
    private readonly string _dir = Directory.CreateTempSubdirectory("gen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FftLanguageModel Llm()
    {
        torch.manual_seed(31);
        return new FftLanguageModel(ModelPresets.TinyFft(Vocab, 8));
    }

    private static SlmFollower Follower(FrozenLlm llm, CouplingMode mode, int seed = 41)
    {
        torch.manual_seed(seed);
        var slm = new FftLanguageModel(ModelPresets.TinyFft(Vocab, 6) with { Width = 16, Layers = 1 });
        var options = new CouplingOptions { Mode = mode, Initialization = SlmInitialization.Random };
        SlmInitializer.Apply(slm, llm.Model, options);
        return new SlmFollower(slm, options, llm.Model.Config.Width);
    }

    [Fact]
    public void Greedy_generation_follows_the_argmax_over_a_sliding_window()
    {
        using var model = Llm();
        model.eval();
        int[] prompt = [1, 2, 3];
        var generated = TextGenerator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 12, Temperature = 0 });
        Assert.Equal(12, generated.Length);

        var sequence = new List<int>(prompt);
        using var _ = torch.no_grad();
        for (var i = 0; i < 12; i++)
        {
            using var scope = torch.NewDisposeScope();
            var window = sequence.Skip(Math.Max(0, sequence.Count - 8)).Select(t => (long)t).ToArray();
            var logits = model.forward(torch.tensor(window, [1, window.Length]));
            sequence.Add((int)logits.slice(1, window.Length - 1, window.Length).argmax(-1).item<long>());
        }
        Assert.Equal(sequence.Skip(3), generated);
        Assert.Equal(generated, TextGenerator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 12, TopK = 1 }));
        // A nucleus too small for a second token is greedy too, whatever the seed.
        Assert.Equal(generated, TextGenerator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 12, TopP = 1e-9, Seed = 99 }));
    }

    [Fact]
    public void Top_p_keeps_the_most_likely_tokens_whose_probabilities_reach_p()
    {
        using var model = Llm();
        model.eval();
        using var _ = torch.no_grad();
        using var logits = model.forward(torch.tensor(new long[] { 5 }, [1, 1]));
        var probabilities = logits.reshape(-1).softmax(0).ToArray<float>();
        var ranked = Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).ToArray();
        // The nucleus of p = the top two tokens' share: only those two may ever be drawn.
        var p = probabilities[ranked[0]] + probabilities[ranked[1]] * 0.5;
        var drawn = Enumerable.Range(1, 40)
            .Select(seed => TextGenerator.Generate(model, [5], new GenerationOptions { MaxNewTokens = 1, TopP = p, Seed = (ulong)seed })[0])
            .ToHashSet();
        Assert.Subset(new HashSet<int> { ranked[0], ranked[1] }, drawn);
    }

    [Fact]
    public void The_seed_decides_the_sample()
    {
        using var model = Llm();
        var a = TextGenerator.Generate(model, [4], new GenerationOptions { MaxNewTokens = 30, Seed = 1 });
        var b = TextGenerator.Generate(model, [4], new GenerationOptions { MaxNewTokens = 30, Seed = 1 });
        var c = TextGenerator.Generate(model, [4], new GenerationOptions { MaxNewTokens = 30, Seed = 2 });
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Top_k_restricts_samples_to_the_k_most_likely_tokens()
    {
        using var model = Llm();
        model.eval();
        var generated = TextGenerator.Generate(model, [5], new GenerationOptions { MaxNewTokens = 1, TopK = 3, Temperature = 5 });
        using var _ = torch.no_grad();
        using var logits = model.forward(torch.tensor(new long[] { 5 }, [1, 1]));
        var (_, top) = logits.reshape(-1).topk(3);
        Assert.Contains((long)generated[0], top.ToArray<long>());
    }

    [Theory]
    [InlineData(CouplingMode.Logits)]
    [InlineData(CouplingMode.Hidden)]
    public void An_untrained_correction_generates_exactly_what_the_llm_alone_does(CouplingMode mode)
    {
        using var llm = new FrozenLlm(Llm());
        using var follower = Follower(llm, mode);
        var options = new GenerationOptions { MaxNewTokens = 15, Seed = 3 };
        // The composed window is the SLM's (6), so compare with the LLM on the same window.
        var alone = TextGenerator.Generate(new WindowedLlm(llm.Model, 6), [1, 2], options);
        Assert.Equal(alone, TextGenerator.Generate(llm, follower, [1, 2], options));
    }

    [Fact]
    public void Tokens_mode_generation_is_reproducible_per_seed()
    {
        using var llm = new FrozenLlm(Llm());
        using var follower = Follower(llm, CouplingMode.Tokens);
        var a = TextGenerator.Generate(llm, follower, [1, 2], new GenerationOptions { MaxNewTokens = 20, Seed = 9 });
        torch.manual_seed(777); // the global generator must not matter
        var b = TextGenerator.Generate(llm, follower, [1, 2], new GenerationOptions { MaxNewTokens = 20, Seed = 9 });
        Assert.Equal(20, a.Length);
        Assert.Equal(a, b);
        Assert.All(a, t => Assert.InRange(t, 0, Vocab - 1));
    }

    [Fact]
    public void A_serving_session_loads_the_llm_once_and_caches_followers()
    {
        var tokenizer = CharPairTokenizer.FromTokens(Enumerable.Range(0, Vocab - 1).Select(i => ((char)('a' + i)).ToString()), CleaningOptions.Default);
        Assert.Equal(Vocab, tokenizer.VocabSize);
        using (var llmModel = Llm())
        using (var frozen = new FrozenLlm(Llm()))
        {
            ModelCheckpoint.SaveLanguageModel(Path.Combine(_dir, "llm"), llmModel, tokenizer);
            using var f1 = Follower(frozen, CouplingMode.Tokens, seed: 1);
            using var f2 = Follower(frozen, CouplingMode.Logits, seed: 2);
            ModelCheckpoint.SaveFollower(Path.Combine(_dir, "f1"), f1, tokenizer, frozen);
            ModelCheckpoint.SaveFollower(Path.Combine(_dir, "f2"), f2, tokenizer, frozen);
        }

        using var session = new ServingSession(Path.Combine(_dir, "llm"));
        var llmInstance = session.Llm;
        var options = new GenerationOptions { MaxNewTokens = 10 };
        var plain = session.Generate("abc", null, options);
        var one = session.Generate("abc", Path.Combine(_dir, "f1"), options);
        var two = session.Generate("abc", Path.Combine(_dir, "f2"), options);
        var oneAgain = session.Generate("abc", Path.Combine(_dir, "f1"), options);

        Assert.Equal(10, plain.Length);
        Assert.Equal(one, oneAgain);
        Assert.Equal(2, session.FollowerLoads);
        Assert.Same(llmInstance, session.Llm);
        Assert.Same(session.GetFollower(Path.Combine(_dir, "f2")), session.GetFollower(Path.Combine(_dir, "f2")));
        session.Llm.VerifyUnchanged();
        Assert.NotNull(two);
    }

    /// <summary>The LLM restricted to a shorter window (exact for fft), to compare with a composition on that window.</summary>
    private sealed class WindowedLlm : LanguageModel
    {
        private readonly LanguageModel _inner;

        public WindowedLlm(LanguageModel inner, int window) : base("WindowedLlm", inner.Config with { BlockSize = window })
        {
            _inner = inner;
            register_module("inner", inner);
        }

        public override Tensor Embed(Tensor ids, int positionOffset = 0) => _inner.Embed(ids, positionOffset);
        public override int BlockCount => _inner.BlockCount;
        public override torch.nn.Module<Tensor, Tensor> Block(int index) => _inner.Block(index);
        public override Tensor RunBlocks(Tensor x, int? count = null) => _inner.RunBlocks(x, count);
        public override Tensor Head(Tensor x) => _inner.Head(x);
        public override Tensor Embed(Tensor ids, CachedRows rows) => _inner.Embed(ids, rows);
        public override Tensor RunBlock(int index, Tensor x, CachedRows rows) => _inner.RunBlock(index, x, rows);
        public override Tensor RunBlocks(Tensor x, CachedRows rows) => _inner.RunBlocks(x, rows);
    }
}
