namespace SlmOps.Web.Artifacts;

/// <summary>The uploaded file was removed by a concurrent delete of the same bytes before the upload was recorded.</summary>
public sealed class ArtifactVanishedException()
    : Exception("The same file was being deleted while it was uploaded; upload it again.");
