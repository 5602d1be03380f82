using Npgsql;

namespace SlmOps.Data.Migrations;

/// <summary>The runner's own bookkeeping table. It is created by the runner, not by a migration file.</summary>
internal static class SchemaMigrationsTable
{
    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version      integer     PRIMARY KEY,
            file_name    text        NOT NULL UNIQUE,
            checksum     text        NOT NULL,
            applied_at   timestamptz NOT NULL DEFAULT now(),
            execution_ms bigint      NOT NULL
        )
        """;

    public static async Task EnsureExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CreateSql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<IReadOnlyList<AppliedMigration>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT version, file_name, checksum, applied_at, execution_ms FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AppliedMigration(
                reader.GetInt32(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt64(4)));
        }

        return rows;
    }

    public static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, MigrationFile file, long executionMs,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, file_name, checksum, execution_ms) VALUES (@version, @file, @checksum, @ms)",
            connection,
            transaction);
        command.Parameters.AddWithValue("version", file.Version);
        command.Parameters.AddWithValue("file", file.FileName);
        command.Parameters.AddWithValue("checksum", file.Checksum);
        command.Parameters.AddWithValue("ms", executionMs);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
