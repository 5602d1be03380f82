namespace SlmOps.Contracts.Runs;

/// <summary>The config of an Evaluate run: score a base model version or an SLM version on a dataset version.</summary>
public sealed record EvaluateSpec
{
    public long DatasetVersionId { get; init; }
    public long? BaseModelVersionId { get; init; }
    public long? SlmVersionId { get; init; }
    public int Batches { get; init; } = 8;
    public string Device { get; init; } = "cpu";
}
