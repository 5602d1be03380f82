namespace SlmOps.Modeling.Generation;

public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 100;
    /// <summary>0 means greedy (argmax).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Sample only among the k most likely tokens; null for all.</summary>
    public int? TopK { get; init; }
    /// <summary>Nucleus sampling: only the most likely tokens whose probabilities add up to at least p (after top-k); null or 1 for all.</summary>
    public double? TopP { get; init; }
    /// <summary>Seeds this request's own RNG: the same request gives the same text regardless of other traffic.</summary>
    public ulong Seed { get; init; } = 1;
}
