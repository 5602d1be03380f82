using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving;

/// <summary>
/// SLM versions loaded on demand and kept while their parameters fit in <see cref="ServingOptions.CacheBytes"/>;
/// the least recently used go first. An SLM larger than the whole budget is still served, alone in the cache.
/// Loads of different versions run in parallel; two requests for the same missing version load it once.
/// </summary>
public sealed class SlmCache(IModelFolders directories, ServingOptions options, ILogger<SlmCache> logger) : IDisposable
{
    // Evicted SLMs' parameter memory, refilled by the next load of the same shape (a miss then pays no fresh pages).
    private readonly FollowerPool _pool = new(options.PoolBytes);

    private readonly Lock _gate = new();
    private readonly Dictionary<long, LinkedListNode<CachedSlm>> _entries = [];
    private readonly LinkedList<CachedSlm> _recent = new();
    private readonly Dictionary<long, Task<CachedSlm>> _loading = [];
    private long _bytes, _hits, _misses, _evictions;

    public SlmCacheStatus Status()
    {
        lock (_gate)
        {
            var entries = _recent.Select(c => new CachedSlmStatus(c.SlmVersionId, c.Bytes, c.Hits, c.LoadedAt, c.LastUsedAt)).ToList();
            return new SlmCacheStatus(options.CacheBytes, _bytes, _hits, _misses, _evictions, entries, _pool.Bytes, _pool.Reuses);
        }
    }

    /// <summary>The SLM of <paramref name="slmVersionId"/> for <paramref name="llm"/>, leased to the caller.</summary>
    /// <param name="loaded">True when this call read it from disk (a miss).</param>
    public async Task<SlmLease> LeaseAsync(long slmVersionId, string weightsSha256, ResidentLlm llm, Action<bool>? loaded = null)
    {
        while (true)
        {
            Task<CachedSlm> load;
            var ours = false;
            lock (_gate)
            {
                if (_entries.TryGetValue(slmVersionId, out var node))
                {
                    _hits++;
                    node.Value.Hits++;
                    node.Value.LastUsedAt = DateTimeOffset.UtcNow;
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                    loaded?.Invoke(false);
                    return node.Value.Lease();
                }
                if (!_loading.TryGetValue(slmVersionId, out load!))
                {
                    _misses++;
                    ours = true;
                    load = Task.Run(() => Load(slmVersionId, weightsSha256, llm));
                    _loading[slmVersionId] = load;
                }
            }
            CachedSlm slm;
            try
            {
                slm = await load;
            }
            catch when (ours)
            {
                lock (_gate) _loading.Remove(slmVersionId);
                throw;
            }
            if (ours)
            {
                lock (_gate)
                {
                    // One step, so a waiter never sees the version neither loading nor cached; inserting never evicts
                    // the newest entry, so the lease is taken before anyone can evict it.
                    _loading.Remove(slmVersionId);
                    Insert(slm);
                    loaded?.Invoke(true);
                    return slm.Lease();
                }
            }
            // Another request loaded it; take it from the cache (counted as a hit), or load again if it was already evicted.
        }
    }

    private CachedSlm Load(long slmVersionId, string weightsSha256, ResidentLlm llm)
    {
        using var folder = directories.Open(weightsSha256);
        var dir = folder.Path;
        var follower = ModelCheckpoint.LoadFollower(dir, llm.Llm, llm.Tokenizer.Hash, expectedWeightsFileSha256: weightsSha256,
            weightsMismatch: (path, actual) => new ModelIntegrityException($"SLM version {slmVersionId}", path, weightsSha256, actual),
            pool: _pool);
        var slm = new CachedSlm(slmVersionId, follower, ModelMemory.Bytes(follower), _pool);
        logger.LogInformation("Loaded SLM version {Id} ({Bytes:N0} bytes) from {Dir}", slmVersionId, slm.Bytes, dir);
        return slm;
    }

    private void Insert(CachedSlm slm)
    {
        _entries[slm.SlmVersionId] = _recent.AddFirst(slm);
        _bytes += slm.Bytes;
        while (_bytes > options.CacheBytes && _recent.Count > 1)
        {
            var victim = _recent.Last!.Value;
            _recent.RemoveLast();
            _entries.Remove(victim.SlmVersionId);
            _bytes -= victim.Bytes;
            _evictions++;
            victim.MarkEvicted();
            logger.LogInformation("Evicted SLM version {Id} ({Bytes:N0} bytes) to stay within {Limit:N0} bytes", victim.SlmVersionId, victim.Bytes, options.CacheBytes);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var slm in _recent) slm.MarkEvicted();
            _recent.Clear();
            _entries.Clear();
            _bytes = 0;
        }
        _pool.Dispose();
    }
}

public sealed record CachedSlmStatus(long SlmVersionId, long Bytes, long Hits, DateTimeOffset LoadedAt, DateTimeOffset LastUsedAt);

public sealed record SlmCacheStatus(long CapacityBytes, long Bytes, long Hits, long Misses, long Evictions, IReadOnlyList<CachedSlmStatus> Entries,
    long PoolBytes, long PoolReuses);
