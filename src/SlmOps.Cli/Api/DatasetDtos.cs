namespace SlmOps.Cli.Api;

public sealed record DatasetVersion(
    string Dataset, int Version, long Id, string Sha256, long SizeBytes, string Format, string? SourceFileName,
    long? RowCount, long? TokenCount, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record Dataset(string Name, string? Description, string CreatedBy, DateTimeOffset CreatedAt, int VersionCount, DatasetVersion? Latest);

public sealed record DatasetDetail(string Name, string? Description, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<DatasetVersion> Versions);
