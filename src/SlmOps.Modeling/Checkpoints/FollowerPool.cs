using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;

namespace SlmOps.Modeling.Checkpoints;

/// <summary>
/// Followers whose versions were evicted, kept (up to a byte budget) so that the next load of the same shape refills
/// their parameters instead of building a new module: a cache miss then writes into memory the process already has
/// mapped rather than taking fresh pages (the kernel zeroing and mapping them was most of a cold miss). Pass it to
/// <see cref="ModelCheckpoint.LoadFollower"/>, and <see cref="Return"/> a follower to it instead of disposing it.
/// Thread-safe (loads run in parallel).
/// </summary>
/// <remarks>
/// A load overwrites every parameter and buffer (the safetensors file must hold exactly the module's keys and shapes)
/// and sets the new version's coupling options, so nothing of the previous version survives reuse. A follower must be
/// returned only once nothing uses it any more (no lease, no decoding sequence), exactly when it could be disposed.
/// </remarks>
public sealed class FollowerPool(long capacityBytes) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(Shape Shape, SlmFollower Follower, long Bytes)> _kept = new();
    private long _bytes, _reuses;
    private bool _disposed;

    public long CapacityBytes => capacityBytes;
    public long Bytes { get { lock (_gate) return _bytes; } }
    public int Count { get { lock (_gate) return _kept.Count; } }
    /// <summary>Loads that refilled a pooled follower instead of building one.</summary>
    public long Reuses { get { lock (_gate) return _reuses; } }

    /// <summary>
    /// Keeps <paramref name="follower"/> for reuse, the most recently returned first; disposes the oldest beyond the
    /// budget, and disposes the follower itself once the pool is disposed (a lease returned after shutdown).
    /// </summary>
    public void Return(SlmFollower follower)
    {
        var bytes = ModelMemory.Bytes(follower);
        var dispose = new List<SlmFollower>();
        lock (_gate)
        {
            if (_disposed)
            {
                follower.Dispose();
                return;
            }
            _kept.AddFirst((Shape.Of(follower.Slm.Config, follower.Options, follower.LlmWidth), follower, bytes));
            _bytes += bytes;
            while (_bytes > capacityBytes && _kept.Count > 0)
            {
                var oldest = _kept.Last!.Value;
                _kept.RemoveLast();
                _bytes -= oldest.Bytes;
                dispose.Add(oldest.Follower);
            }
        }
        foreach (var f in dispose) f.Dispose();
    }

    /// <summary>A pooled follower of exactly this shape, taken out of the pool, or null.</summary>
    internal SlmFollower? Rent(ModelConfig model, CouplingOptions coupling, int llmWidth)
    {
        var shape = Shape.Of(model, coupling, llmWidth);
        lock (_gate)
        {
            for (var node = _kept.First; node is not null; node = node.Next)
            {
                if (node.Value.Shape != shape) continue;
                _kept.Remove(node);
                _bytes -= node.Value.Bytes;
                _reuses++;
                return node.Value.Follower;
            }
        }
        return null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var kept in _kept) kept.Follower.Dispose();
            _kept.Clear();
            _bytes = 0;
        }
    }

    /// <summary>What decides a follower's module tree: the SLM's config, whether it has the hidden-mode projection, and from what width.</summary>
    private readonly record struct Shape(ModelConfig Model, bool Projection, int LlmWidth)
    {
        public static Shape Of(ModelConfig model, CouplingOptions coupling, int llmWidth) =>
            new(model, coupling.Mode == CouplingMode.Hidden, llmWidth);
    }
}
