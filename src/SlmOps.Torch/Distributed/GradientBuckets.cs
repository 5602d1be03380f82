using SlmOps.Torch.Native;
using SlmOps.Torch.Optim;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch.Distributed;

/// <summary>
/// The gradient side of data parallelism, as PyTorch's DistributedDataParallel reducer does it: the parameters are
/// grouped into buckets of about <c>bucketBytes</c> (PyTorch's default is 25 MiB; the first bucket is capped at
/// <see cref="FirstBucketBytes"/> as in PyTorch, so that one all-reduce starts early) in reverse registration order (the
/// last layers' gradients are ready first). Hooks on the parameters' gradient accumulators watch backward: once every
/// gradient of a bucket is ready, its gradients are copied into the bucket's persistent flat buffer and its all-reduce
/// starts in the background while backward goes on. <see cref="AverageGradients"/> (after backward) starts the buckets
/// still waiting, waits for all of them and writes the averages back into the gradients, so one step costs a few
/// collectives instead of one per parameter, most of them overlapped with backward. A parameter without a gradient
/// contributes zeros and keeps no gradient. Several backward passes before <see cref="AverageGradients"/> (gradient
/// accumulation) are allowed: a bucket whose gradients changed after it started is reduced again.
/// Every rank must run the same backward passes and call <see cref="AverageGradients"/> in step; dispose it (its
/// hooks) before the parameters' last backward without it.
/// </summary>
public sealed class GradientBuckets : IDisposable
{
    /// <summary>PyTorch DDP's default bucket size (25 MiB).</summary>
    public const long DefaultBucketBytes = 25L << 20;

    /// <summary>PyTorch DDP's cap on the first bucket (1 MiB): the last layers' gradients are all-reduced early.</summary>
    public const long FirstBucketBytes = 1L << 20;

    private readonly DistributedHandle _handle;
    private readonly ProcessGroup _group;
    private readonly List<List<Tensor>> _buckets = [];

    public GradientBuckets(IReadOnlyList<Tensor> parameters, ProcessGroup group, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        _group = group;
        var current = new List<Tensor>();
        long bytes = 0;
        foreach (var p in parameters.Reverse())
        {
            var cap = _buckets.Count == 0 ? Math.Min(bucketBytes, FirstBucketBytes) : bucketBytes;
            var sameKind = current.Count == 0 || (current[0].dtype == p.dtype && current[0].device == p.device);
            if (current.Count > 0 && (bytes >= cap || !sameKind))
            {
                _buckets.Add(current);
                current = [];
                bytes = 0;
            }
            current.Add(p);
            bytes += p.numel() * p.element_size();
        }
        if (current.Count > 0) _buckets.Add(current);
        _handle = Create(_buckets, group);
    }

    public int Count => _buckets.Count;

    /// <summary>Elements all-reduced per step (exactly the trainable parameters' count).</summary>
    public long Elements => _buckets.Sum(b => b.Sum(p => p.numel()));

    /// <summary>Buckets whose all-reduce has started since the last <see cref="AverageGradients"/> (during backward).</summary>
    public int Started => (int)N.SlmReducer_launched(_handle);

    /// <summary>Call after backward, before clipping and the optimizer step.</summary>
    public void AverageGradients()
    {
        if (N.SlmReducer_finish(_handle) != 0)
            throw new DistributedException(_group.Rank, _group.WorldSize, $"all_reduce of gradient buckets ({_group.Backend})", N.LastError().Message);
    }

    public void Dispose() => _handle.Dispose();

    private static unsafe DistributedHandle Create(List<List<Tensor>> buckets, ProcessGroup group)
    {
        var ordered = buckets.SelectMany(b => b).ToList();
        var ends = new long[buckets.Count];
        for (int b = 0, end = 0; b < buckets.Count; b++) ends[b] = end += buckets[b].Count;
        using var handles = new HandleArray(ordered, new IntPtr[ordered.Count]);
        IntPtr raw;
        fixed (IntPtr* p = handles.Handles)
        fixed (long* e = ends)
        {
            raw = N.SlmReducer_create(group.Handle, p, ordered.Count, e, ends.Length, average: 1);
        }
        if (raw == IntPtr.Zero)
            throw new DistributedException(group.Rank, group.WorldSize, "gradient buckets", N.LastError().Message);
        return new DistributedHandle(raw, N.SlmReducer_dispose);
    }
}
