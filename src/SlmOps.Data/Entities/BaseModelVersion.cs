namespace SlmOps.Data.Entities;

/// <summary>
/// A registered, frozen LLM. The database refuses updates to the columns that define it (weights, tokenizer,
/// architecture, number); only evaluation metrics and the producing run link may change.
/// </summary>
public sealed class BaseModelVersion
{
    public long Id { get; set; }
    public long BaseModelId { get; set; }
    public int Version { get; set; }
    public ArchitectureKind ArchitectureKind { get; set; }

    /// <summary>Architecture hyper-parameters as a JSON object (jsonb).</summary>
    public required string Architecture { get; set; }

    public long ParameterCount { get; set; }
    public required string WeightsSha256 { get; set; }

    /// <summary>An SLM can only follow an LLM whose tokenizer has the same hash.</summary>
    public required string TokenizerSha256 { get; set; }

    /// <summary>The model folder as content: the sha256 of its manifest.json blob (null for rows older than 0005).</summary>
    public string? ManifestSha256 { get; set; }

    /// <summary>The TrainBaseModel run that produced it; null for imported weights.</summary>
    public Guid? RunId { get; set; }

    public string EvaluationMetrics { get; set; } = "{}";
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public BaseModel BaseModel { get; set; } = null!;
}
