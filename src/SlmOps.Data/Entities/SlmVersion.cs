namespace SlmOps.Data.Entities;

/// <summary>An immutable, numbered SLM of a task model, trained to follow one base model version.</summary>
public sealed class SlmVersion
{
    public long Id { get; set; }
    public long TaskModelId { get; set; }
    public int Version { get; set; }
    public long BaseModelVersionId { get; set; }
    public CouplingMode CouplingMode { get; set; }

    /// <summary>Architecture hyper-parameters as a JSON object (jsonb).</summary>
    public required string Architecture { get; set; }

    public long ParameterCount { get; set; }
    public long? DatasetVersionId { get; set; }
    public Guid? RunId { get; set; }

    /// <summary>Evaluation results as a JSON object (jsonb), e.g. <c>{"task_val_loss": 1.93}</c>; read by the promotion gate.</summary>
    public string EvaluationMetrics { get; set; } = "{}";

    public required string WeightsSha256 { get; set; }

    /// <summary>The module folder as content: the sha256 of its manifest.json blob (null for rows older than 0005).</summary>
    public string? ManifestSha256 { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public TaskModel TaskModel { get; set; } = null!;
    public BaseModelVersion BaseModelVersion { get; set; } = null!;
}
