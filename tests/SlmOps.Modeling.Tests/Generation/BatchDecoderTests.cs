using SlmOps.Contracts;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Models;
using SlmOps.Torch;
using static SlmOps.Modeling.Tests.Generation.DecodingModels;

namespace SlmOps.Modeling.Tests.Generation;

public sealed class BatchDecoderTests
{
    private sealed record Request(string Name, int[] Prompt, SlmFollower? Follower, GenerationOptions Options, int JoinAt, int? LeaveAt = null);

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void Each_request_gets_its_solo_tokens_whatever_else_is_in_the_batch(string arch)
    {
        using var llm = Llm(arch);
        using var tokens = Follower(llm, arch, CouplingMode.Tokens, seed: 1);
        using var hidden = Follower(llm, arch, CouplingMode.Hidden, seed: 2);
        using var logits = Follower(llm, arch, CouplingMode.Logits, seed: 3);
        Request[] requests =
        [
            new("a: tokens follower", Prompt(3, 1), tokens, new() { MaxNewTokens = 12, Seed = 1 }, JoinAt: 0),
            new("b: same follower, leaves mid-way from a middle slot", Prompt(5, 2), tokens, new() { MaxNewTokens = 15, Seed = 2 }, JoinAt: 0, LeaveAt: 4),
            new("c: hidden follower, greedy", Prompt(2, 3), hidden, new() { MaxNewTokens = 16, Seed = 3, Temperature = 0 }, JoinAt: 0),
            new("d: LLM alone, top-k", Prompt(4, 4), null, new() { MaxNewTokens = 9, Seed = 4, TopK = 5 }, JoinAt: 0),
            new("e: logits follower, prompt longer than the window, joins at step 3", Prompt(LlmWindow + 1, 5), logits, new() { MaxNewTokens = 8, Seed = 5 }, JoinAt: 3),
            new("f: hidden follower, joins at step 5", Prompt(6, 6), hidden, new() { MaxNewTokens = 10, Seed = 6 }, JoinAt: 5),
            new("g: tokens follower, same seed as a, joins at step 6", Prompt(3, 1), tokens, new() { MaxNewTokens = 12, Seed = 1 }, JoinAt: 6),
        ];

        using var decoder = new BatchDecoder(llm);
        var sequences = new Dictionary<Request, DecodeSequence>();
        var received = requests.ToDictionary(r => r, _ => new List<int>());
        for (var step = 0; sequences.Count < requests.Length || decoder.Count > 0; step++)
        {
            foreach (var r in requests.Where(r => r.JoinAt == step)) sequences[r] = decoder.Join(r.Prompt, r.Follower, r.Options);
            foreach (var r in requests.Where(r => r.LeaveAt == step)) decoder.Leave(sequences[r]);
            foreach (var token in decoder.Step())
                received[requests.Single(r => sequences.GetValueOrDefault(r) == token.Sequence)].Add(token.Token);
        }

        foreach (var r in requests)
        {
            var solo = r.Follower is null ? ReferenceGenerator.Generate(llm.Model, r.Prompt, r.Options) : ReferenceGenerator.Generate(llm, r.Follower, r.Prompt, r.Options);
            var expected = r.LeaveAt is { } leave ? solo.Tokens.Take(leave - r.JoinAt).ToList() : solo.Tokens;
            Assert.True(expected.SequenceEqual(received[r]), $"{r.Name}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", received[r])}]");
            Assert.True(sequences[r].Left);
        }
        Assert.Equal(received[requests[0]], received[requests[6]]);
    }

    [Fact]
    public void A_step_runs_the_llm_once_over_every_cached_sequence_and_each_follower_once_over_its_own()
    {
        var llm = new CountingModel(Llm("fft").Model);
        using var frozen = new FrozenLlm(llm);
        using var f1 = Follower(frozen, "fft", CouplingMode.Tokens, seed: 1);
        using var f2 = Follower(frozen, "fft", CouplingMode.Logits, seed: 2);
        var slm1 = new CountingModel(f1.Slm);
        var slm2 = new CountingModel(f2.Slm);
        using var c1 = new SlmFollower(slm1, f1.Options, frozen.Model.Config.Width);
        using var c2 = new SlmFollower(slm2, f2.Options, frozen.Model.Config.Width);

        using var decoder = new BatchDecoder(frozen);
        decoder.Join(Prompt(2, 1), c1, new() { MaxNewTokens = 3 });
        decoder.Join(Prompt(3, 2), c1, new() { MaxNewTokens = 3 });
        decoder.Join(Prompt(4, 3), c2, new() { MaxNewTokens = 3 });
        decoder.Join(Prompt(1, 4), null, new() { MaxNewTokens = 3 });
        Assert.Equal(4, decoder.Step().Count); // prefills: one forward each
        Assert.Equal([1, 1, 1, 1], llm.CachedBatches);
        llm.CachedBatches.Clear();
        slm1.CachedBatches.Clear();
        slm2.CachedBatches.Clear();

        Assert.Equal(4, decoder.Step().Count);
        Assert.Equal([4], llm.CachedBatches);
        Assert.Equal([2], slm1.CachedBatches);
        Assert.Equal([1], slm2.CachedBatches);
    }

    [Fact]
    public void Bad_joins_are_refused_with_the_reason()
    {
        using var llm = Llm("fft");
        using var decoder = new BatchDecoder(llm);
        Assert.Contains("at least one token", Assert.Throws<ArgumentException>(() => decoder.Join([], null, new())).Message);
        Assert.Contains("outside the vocabulary", Assert.Throws<ArgumentException>(() => decoder.Join([Vocab], null, new())).Message);
        Assert.Contains("MaxNewTokens", Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Join([1], null, new() { MaxNewTokens = 0 })).Message);
        Assert.Equal(0, decoder.Count);
    }

    /// <summary>A model that records the batch size of every cached forward it runs.</summary>
    private sealed class CountingModel : LanguageModel
    {
        private readonly LanguageModel _inner;

        public CountingModel(LanguageModel inner) : base("CountingModel", inner.Config)
        {
            _inner = inner;
            register_module("inner", inner);
        }

        public List<long> CachedBatches { get; } = [];
        public override Tensor Embed(Tensor ids, int positionOffset = 0) => _inner.Embed(ids, positionOffset);
        public override int BlockCount => _inner.BlockCount;
        public override torch.nn.Module<Tensor, Tensor> Block(int index) => _inner.Block(index);
        public override Tensor RunBlocks(Tensor x, int? count = null) => _inner.RunBlocks(x, count);
        public override Tensor Head(Tensor x) => _inner.Head(x);
        public override Tensor Embed(Tensor ids, CachedRows rows) => _inner.Embed(ids, rows);
        public override Tensor RunBlock(int index, Tensor x, CachedRows rows) => _inner.RunBlock(index, x, rows);

        public override Tensor RunBlocks(Tensor x, CachedRows rows)
        {
            CachedBatches.Add(x.shape[0]);
            return _inner.RunBlocks(x, rows);
        }
    }
}
