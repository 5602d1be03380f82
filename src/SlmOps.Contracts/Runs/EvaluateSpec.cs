namespace SlmOps.Contracts.Runs;

/// <summary>The config of an Evaluate run: score a base model version or an SLM version on a dataset version.</summary>
public sealed record EvaluateSpec
{
    public long DatasetVersionId { get; init; }
    public long? BaseModelVersionId { get; init; }
    public long? SlmVersionId { get; init; }
    /// <summary>How many sequential batches of the val split to score (from its start, so reruns see the same data).</summary>
    public int Batches { get; init; } = 8;

    public int BatchSize { get; init; } = 8;

    /// <summary>Block length; defaults to (and is capped at) the longest block the model accepts.</summary>
    public int? BlockSize { get; init; }

    public string Device { get; init; } = "cpu";
}
