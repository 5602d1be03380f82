namespace SlmOps.Contracts.Runs;

/// <summary>
/// Data-parallel training: <c>WorldSize</c> ranks each train a whole copy of the model on their share of every batch
/// (Training.BatchSize is per rank). Pretrain and fine-tune runs only; at most Runs:Limits:MaxWorldSize.
/// </summary>
public sealed record DistributedSpec
{
    public int WorldSize { get; init; } = 1;
}
