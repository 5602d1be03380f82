using SlmOps.Data.Entities;

namespace SlmOps.Web.Datasets;

/// <summary>One numbered, immutable upload of a dataset.</summary>
public sealed record DatasetVersionDto(
    string Dataset, int Version, long Id, string Sha256, long SizeBytes, string Format, string? SourceFileName,
    long? RowCount, long? TokenCount, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static DatasetVersionDto From(string dataset, DatasetVersion v) => new(
        dataset, v.Version, v.Id, v.Sha256, v.SizeBytes, DatasetFormats.Name(v.Format), v.SourceFileName,
        v.RowCount, v.TokenCount, v.CreatedBy, v.CreatedAt);
}

/// <summary>A dataset with its owning team and its newest version (null once every version was deleted).</summary>
public sealed record DatasetDto(
    string Name, string Team, string? Description, string CreatedBy, DateTimeOffset CreatedAt, int VersionCount, DatasetVersionDto? Latest);

/// <summary>A dataset with its owning team and all its versions, newest first.</summary>
public sealed record DatasetDetailDto(
    string Name, string Team, string? Description, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<DatasetVersionDto> Versions);

/// <summary>The first lines of a version's file; <c>HasMore</c> says whether the file goes on.</summary>
public sealed record DatasetPreviewDto(string Dataset, int Version, IReadOnlyList<string> Lines, bool HasMore);

/// <summary>What POST /api/v1/datasets reads from the multipart body (documents the form for OpenAPI).</summary>
public sealed record DatasetUploadForm(IFormFile File, string Name, string? Format, string? Description);
