using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;

namespace SlmOps.Serving;

/// <summary>
/// A loaded SLM version and how many requests are using it. The cache may evict it at any time; its module goes to
/// <paramref name="pool"/> only once it is evicted and the last lease is returned, so eviction never pulls weights from
/// under a running request.
/// </summary>
public sealed class CachedSlm(long slmVersionId, SlmFollower follower, long bytes, FollowerPool pool)
{
    private readonly Lock _gate = new();
    private int _leases;
    private bool _evicted;

    public long SlmVersionId { get; } = slmVersionId;
    public SlmFollower Follower { get; } = follower;
    public long Bytes { get; } = bytes;
    public long Hits { get; set; }
    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastUsedAt { get; set; } = DateTimeOffset.UtcNow;

    public SlmLease Lease()
    {
        lock (_gate) _leases++;
        return new SlmLease(this);
    }

    public void MarkEvicted()
    {
        lock (_gate)
        {
            _evicted = true;
            if (_leases == 0) pool.Return(Follower); // the pool frees it when it is full or disposed
        }
    }

    internal void Return()
    {
        lock (_gate)
        {
            _leases--;
            if (_evicted && _leases == 0) pool.Return(Follower);
        }
    }
}

/// <summary>A request's hold on a cached SLM; dispose it when the generation is done.</summary>
public sealed class SlmLease(CachedSlm slm) : IDisposable
{
    private int _returned;

    public SlmFollower Follower => slm.Follower;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _returned, 1) == 0) slm.Return();
    }
}
