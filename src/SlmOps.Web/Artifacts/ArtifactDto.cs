namespace SlmOps.Web.Artifacts;

/// <summary>The answer to a PUT: the stored file's hash and size, and whether this upload added it.</summary>
public sealed record ArtifactDto(string Sha256, long SizeBytes, bool Created);
