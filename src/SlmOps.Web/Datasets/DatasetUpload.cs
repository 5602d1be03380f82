using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Datasets;

/// <summary>A file already in the artifact store, with the form fields that came with it.</summary>
public sealed record DatasetUpload(
    string Name, DatasetFormat Format, string? Description, string? SourceFileName, StoredArtifact Artifact, long RowCount);

/// <summary>Why an upload was refused; the API turns it into a problem details answer.</summary>
public sealed record UploadRefusal(int Status, string Detail);
