namespace SlmOps.Data.Entities;

/// <summary>One uploaded file of a dataset, numbered from 1 per dataset. Preparation fills the token fields.</summary>
public sealed class DatasetVersion
{
    public long Id { get; set; }
    public long DatasetId { get; set; }
    public int Version { get; set; }

    /// <summary>SHA-256 of the uploaded file; also its key in <see cref="Artifact"/>.</summary>
    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }
    public DatasetFormat Format { get; set; }
    public string? SourceFileName { get; set; }
    public long? RowCount { get; set; }
    public long? TokenCount { get; set; }
    public string? TokenizerSha256 { get; set; }
    public string? PreparedArtifactSha256 { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public Dataset Dataset { get; set; } = null!;
}
