using SlmOps.Contracts;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Checkpoints;

public sealed class FollowerPoolTests : IDisposable
{
    private const int Vocab = 19;
    private readonly string _dir = Directory.CreateTempSubdirectory("pool-").FullName;
    private static readonly CharPairTokenizer Tokenizer =
        CharPairTokenizer.FromTokens(Enumerable.Range(0, Vocab - 1).Select(i => ((char)('a' + i)).ToString()), CleaningOptions.Default);
    private readonly FrozenLlm _llm;

    public FollowerPoolTests()
    {
        torch.manual_seed(3);
        _llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(Vocab, 8)));
    }

    public void Dispose()
    {
        _llm.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Save(string name, CouplingMode mode, int seed, int layers = 1)
    {
        torch.manual_seed(seed);
        var slm = new FftLanguageModel(ModelPresets.TinyFft(Vocab, 6) with { Width = 16, Layers = layers });
        var options = new CouplingOptions { Mode = mode, Initialization = SlmInitialization.Random, Temperature = seed };
        SlmInitializer.Apply(slm, _llm.Model, options);
        using var follower = new SlmFollower(slm, options, _llm.Model.Config.Width);
        var dir = Path.Combine(_dir, name);
        ModelCheckpoint.SaveFollower(dir, follower, Tokenizer, _llm);
        return dir;
    }

    private SlmFollower Load(string dir, FollowerPool? pool = null, string? sha = null) =>
        ModelCheckpoint.LoadFollower(dir, _llm, Tokenizer.Hash, expectedWeightsFileSha256: sha, pool: pool);

    private float[] Logits(SlmFollower follower)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        return follower.Logits(_llm, ModelTestData.Ids(1, 6, Vocab, seed: 2)).ToArray<float>();
    }

    [Fact]
    public void A_returned_follower_is_refilled_by_the_next_load_of_its_shape_with_nothing_of_the_old_version_left()
    {
        var a = Save("a", CouplingMode.Tokens, seed: 1);
        var b = Save("b", CouplingMode.Logits, seed: 2);
        using var pool = new FollowerPool(capacityBytes: 1 << 30);
        float[] expected;
        CouplingOptions expectedOptions;
        using (var fresh = Load(b))
        {
            expected = Logits(fresh);
            expectedOptions = fresh.Options;
        }

        var first = Load(a, pool);
        pool.Return(first);
        Assert.Equal(1, pool.Count);
        using var second = Load(b, pool);

        Assert.Same(first, second);
        Assert.Equal(1, pool.Reuses);
        Assert.Equal(0, pool.Count);
        Assert.Equal(expectedOptions, second.Options);
        Assert.Equal(expected, Logits(second));
    }

    [Fact]
    public void Only_a_follower_of_the_same_module_tree_is_reused()
    {
        var tokens = Save("tokens", CouplingMode.Tokens, seed: 1);
        var hidden = Save("hidden", CouplingMode.Hidden, seed: 2);     // adds the LLM-hidden projection
        var deeper = Save("deeper", CouplingMode.Tokens, seed: 3, layers: 2);
        using var pool = new FollowerPool(capacityBytes: 1 << 30);
        var kept = Load(tokens, pool);
        pool.Return(kept);

        using (var h = Load(hidden, pool)) Assert.NotSame(kept, h);
        using (var d = Load(deeper, pool)) Assert.NotSame(kept, d);
        Assert.Equal(0, pool.Reuses);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void A_load_that_fails_its_hash_check_gives_the_module_back_and_serves_nothing()
    {
        var a = Save("a", CouplingMode.Logits, seed: 1);
        var b = Save("b", CouplingMode.Logits, seed: 2);
        using var pool = new FollowerPool(capacityBytes: 1 << 30);
        float[] expected;
        using (var fresh = Load(b)) expected = Logits(fresh);
        pool.Return(Load(b, pool));

        Assert.Throws<InvalidDataException>(() => Load(a, pool, sha: new string('0', 64)));
        Assert.Equal(1, pool.Count);
        using var again = Load(b, pool);
        Assert.Equal(expected, Logits(again));
        Assert.Equal(2, pool.Reuses);
    }

    [Fact]
    public void Beyond_its_budget_the_pool_disposes_the_oldest()
    {
        var a = Save("a", CouplingMode.Tokens, seed: 1);
        var one = Load(a);
        var bytes = ModelMemory.Bytes(one);
        using var pool = new FollowerPool(capacityBytes: bytes + bytes / 2);
        var two = Load(a);

        pool.Return(one);
        pool.Return(two);

        Assert.Equal(1, pool.Count);
        Assert.Equal(bytes, pool.Bytes);
        Assert.Same(two, Load(a, pool));
        Assert.Throws<ObjectDisposedException>(() => Logits(one));
        two.Dispose();
    }

    [Fact]
    public void A_follower_returned_after_the_pool_is_disposed_is_disposed_not_kept()
    {
        var a = Save("a", CouplingMode.Tokens, seed: 1);
        var pool = new FollowerPool(capacityBytes: 1 << 30);
        var late = Load(a);
        pool.Dispose();

        pool.Return(late);

        Assert.Equal((0, 0L), (pool.Count, pool.Bytes));
        Assert.Throws<ObjectDisposedException>(() => Logits(late));
    }
}
