using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// One resident LLM (loaded once, sha256-checked) and a bounded cache of SLM followers loaded on demand,
/// so switching tasks per request never reloads the LLM. Thread-safe; inference runs under no_grad.
/// </summary>
public sealed class ServingSession : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SlmFollower> _followers = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recent = new();
    private readonly int _maxFollowers;
    private readonly FollowerPool _pool = new(capacityBytes: 1L << 30); // evicted followers, refilled by the next miss

    public ServingSession(string llmCheckpointDir, string? expectedWeightsFileSha256 = null, int maxFollowers = 8)
    {
        var (model, config) = ModelCheckpoint.LoadLanguageModel(llmCheckpointDir, expectedWeightsFileSha256);
        Llm = new FrozenLlm(model);
        Tokenizer = ModelCheckpoint.ReadTokenizer(llmCheckpointDir);
        if (Tokenizer.Hash != config.TokenizerHash)
            throw new InvalidDataException($"'{llmCheckpointDir}' has tokenizer {Tokenizer.Hash} but its config names {config.TokenizerHash}.");
        _maxFollowers = maxFollowers;
    }

    public FrozenLlm Llm { get; }
    public ITokenizer Tokenizer { get; }
    /// <summary>How many followers have been read from disk (cache misses).</summary>
    public int FollowerLoads { get; private set; }

    public SlmFollower GetFollower(string followerDir)
    {
        var key = Path.GetFullPath(followerDir);
        lock (_gate)
        {
            if (_followers.TryGetValue(key, out var cached))
            {
                _recent.Remove(key);
                _recent.AddFirst(key);
                return cached;
            }
            var follower = ModelCheckpoint.LoadFollower(key, Llm, Tokenizer.Hash, pool: _pool);
            FollowerLoads++;
            _followers[key] = follower;
            _recent.AddFirst(key);
            while (_recent.Count > _maxFollowers)
            {
                var evicted = _recent.Last!.Value;
                _recent.RemoveLast();
                if (_followers.Remove(evicted, out var old)) _pool.Return(old);
            }
            return follower;
        }
    }

    /// <summary>Generates a continuation of <paramref name="prompt"/> with the LLM alone, or composed with the follower in <paramref name="followerDir"/>.</summary>
    public string Generate(string prompt, string? followerDir, GenerationOptions options)
    {
        var ids = Tokenizer.Encode(prompt);
        var output = followerDir is null
            ? TextGenerator.Generate(Llm.Model, ids, options)
            : TextGenerator.Generate(Llm, GetFollower(followerDir), ids, options);
        return Tokenizer.Decode(output);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var f in _followers.Values) f.Dispose();
            _followers.Clear();
        }
        _pool.Dispose();
        Llm.Dispose();
    }
}
