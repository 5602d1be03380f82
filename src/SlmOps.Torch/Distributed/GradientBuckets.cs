namespace SlmOps.Torch.Distributed;

/// <summary>
/// The gradient side of data parallelism (what PyTorch's DistributedDataParallel reducer does, without overlapping
/// backward): averages the gradients of the given parameters across the group's ranks in buckets of about
/// <c>bucketBytes</c> (PyTorch's default is 25 MiB): each bucket's gradients are flattened into one tensor, all-reduced once and
/// copied back, so a model of many small tensors costs a few collectives instead of one per parameter. Buckets take
/// the parameters in reverse registration order, as PyTorch DDP does (the last layers' gradients are ready first).
/// A parameter without a gradient contributes zeros and keeps no gradient.
/// </summary>
public sealed class GradientBuckets
{
    /// <summary>PyTorch DDP's default bucket size (25 MiB).</summary>
    public const long DefaultBucketBytes = 25L << 20;

    private readonly ProcessGroup _group;
    private readonly List<List<Tensor>> _buckets = [];

    public GradientBuckets(IReadOnlyList<Tensor> parameters, ProcessGroup group, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        _group = group;
        var current = new List<Tensor>();
        long bytes = 0;
        foreach (var p in parameters.Reverse())
        {
            var size = p.numel() * p.element_size();
            if (current.Count > 0 && bytes + size > bucketBytes)
            {
                _buckets.Add(current);
                current = [];
                bytes = 0;
            }
            current.Add(p);
            bytes += size;
        }
        if (current.Count > 0) _buckets.Add(current);
    }

    public int Count => _buckets.Count;

    /// <summary>Elements all-reduced per step (exactly the trainable parameters' count).</summary>
    public long Elements => _buckets.Sum(b => b.Sum(p => p.numel()));

    /// <summary>Call after backward, before clipping and the optimizer step.</summary>
    public void AverageGradients()
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        foreach (var bucket in _buckets)
        {
            var grads = bucket.Select(p => p.grad).ToList();
            var flat = torch.cat(grads.Select((g, i) => (g ?? torch.zeros_like(bucket[i])).reshape(-1)).ToList());
            _group.AllReduce(flat, ReduceOp.Average);
            long offset = 0;
            for (var i = 0; i < bucket.Count; i++)
            {
                var n = bucket[i].numel();
                grads[i]?.copy_(flat.narrow(0, offset, n).view(bucket[i].shape));
                offset += n;
            }
        }
    }
}
