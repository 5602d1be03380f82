namespace SlmOps.Data.Migrations;

/// <summary>A row of schema_migrations: which file was applied, its checksum then, when and how long it took.</summary>
public sealed record AppliedMigration(int Version, string FileName, string Checksum, DateTimeOffset AppliedAt, long ExecutionMs);
