namespace SlmOps.Data.Entities;

/// <summary>A content-addressed file in the artifact store, keyed by the lowercase hex SHA-256 of its bytes.</summary>
public sealed class Artifact
{
    public required string Sha256 { get; set; }
    public long SizeBytes { get; set; }
    public required string MediaType { get; set; }

    /// <summary>A path relative to Artifacts:Root, or an absolute URI for other stores.</summary>
    public required string Uri { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
