using SlmOps.Modeling.Data;
using SlmOps.Torch;
using SlmOps.Torch.Distributed;

namespace SlmOps.Modeling.Training;

/// <summary>
/// One rank of a data-parallel run, as the <see cref="Trainer"/> sees it: every rank holds the whole model, reads its
/// own shard of each global batch, and after backward the ranks average their gradients in buckets, so every rank
/// takes the identical optimizer step. Rank 0 is the root: it alone evaluates, reports progress and writes checkpoints
/// and outputs. The group is the caller's (it outlives the run and is disposed by whoever formed it).
/// </summary>
public sealed class DataParallel(ProcessGroup group, long bucketBytes = GradientBuckets.DefaultBucketBytes)
{
    public ProcessGroup Group { get; } = group;
    public long BucketBytes { get; } = bucketBytes > 0 ? bucketBytes : throw new ArgumentOutOfRangeException(nameof(bucketBytes));
    public int Rank => Group.Rank;
    public int WorldSize => Group.WorldSize;
    public bool IsRoot => Rank == 0;
    public DataShard Shard => new(Rank, WorldSize);

    /// <summary>Gradient elements this rank all-reduces per step (the trainer sets it): exactly the trainable parameters.</summary>
    public long ReducedElementsPerStep { get; internal set; }

    /// <summary>Copies rank 0's values of <paramref name="tensors"/> into every rank's (initial weights, after a resume too).</summary>
    public void BroadcastFromRoot(IEnumerable<Tensor> tensors)
    {
        using var _ = torch.no_grad();
        foreach (var t in tensors)
            Group.Broadcast(t, root: 0);
    }

    /// <summary>
    /// The step's mean loss over all ranks, and whether any rank was asked to stop (so all stop after the same step;
    /// a rank that stopped alone would leave the others waiting in their next all-reduce until the timeout).
    /// </summary>
    public (double Loss, bool Stop) AgreeOnStep(double loss, bool stopRequested)
    {
        using var t = torch.tensor(new[] { loss, stopRequested ? 1.0 : 0.0 });
        Group.AllReduce(t, ReduceOp.Sum);
        var sums = t.ToArray<double>();
        return (sums[0] / WorldSize, sums[1] > 0);
    }
}
