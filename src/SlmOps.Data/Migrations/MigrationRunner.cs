using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SlmOps.Data.Migrations;

/// <summary>
/// Applies the ordered SQL files of the migrations directory that the database has not seen yet.
/// <list type="bullet">
/// <item>A session advisory lock serialises runners, so hosts starting together apply each file exactly once:
/// the second waits, then finds nothing left to do.</item>
/// <item>Each file runs in its own transaction together with its schema_migrations row, so a failing file leaves
/// the database at the last good migration.</item>
/// <item>It refuses to start when an applied file was edited or removed, or when a new file sorts before one that
/// is already applied: the database would no longer match the files.</item>
/// </list>
/// </summary>
public sealed class MigrationRunner
{
    /// <summary>The pg_advisory_lock key, fixed for every host of this schema ("SlmOps" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x536C_6D4F_7073;

    private readonly string _connectionString;
    private readonly string _migrationsDirectory;
    private readonly ILogger _logger;

    public MigrationRunner(string connectionString, string migrationsDirectory, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(migrationsDirectory);
        ArgumentNullException.ThrowIfNull(logger);

        // A private, unpooled connection: the session lock must end with this connection, never linger in a pool.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        _migrationsDirectory = migrationsDirectory;
        _logger = logger;
    }

    /// <summary>The default location: the migrations/ folder copied next to the SlmOps.Data assembly.</summary>
    public static string DefaultMigrationsDirectory => Path.Combine(AppContext.BaseDirectory, "migrations");

    /// <summary>Applies the pending files in order and returns their names (empty when the database is current).</summary>
    /// <exception cref="MigrationException">A refusal or a failed file; the message names the file.</exception>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        var files = MigrationFile.LoadAll(_migrationsDirectory);

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await AcquireLockAsync(connection, cancellationToken);
        try
        {
            await SchemaMigrationsTable.EnsureExistsAsync(connection, cancellationToken);
            var applied = await SchemaMigrationsTable.ReadAsync(connection, cancellationToken);
            var pending = MigrationPlan.Pending(files, applied, _migrationsDirectory);

            var appliedNow = new List<string>(pending.Count);
            foreach (var file in pending)
            {
                await ApplyFileAsync(connection, file, cancellationToken);
                appliedNow.Add(file.FileName);
            }

            if (appliedNow.Count == 0)
            {
                _logger.LogInformation("Database schema is current at {Count} migrations", applied.Count);
            }

            return appliedNow;
        }
        finally
        {
            await ReleaseLockAsync(connection);
        }
    }

    /// <summary>The rows of schema_migrations, oldest first (empty when the table does not exist yet).</summary>
    public async Task<IReadOnlyList<AppliedMigration>> ReadAppliedAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return await SchemaMigrationsTable.ExistsAsync(connection, cancellationToken)
            ? await SchemaMigrationsTable.ReadAsync(connection, cancellationToken)
            : [];
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        tryLock.Parameters.AddWithValue("key", AdvisoryLockKey);
        if ((bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        _logger.LogInformation("Another host is migrating the database; waiting for it to finish");
        await using var waitLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
        waitLock.Parameters.AddWithValue("key", AdvisoryLockKey);
        await waitLock.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return; // A broken connection has already lost its session, and with it the lock.
        }

        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", AdvisoryLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            // Closing the connection ends the session and releases the lock anyway.
            _logger.LogWarning(ex, "Could not release the migration lock explicitly");
        }
    }

    private async Task ApplyFileAsync(NpgsqlConnection connection, MigrationFile file, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Applying migration {File}", file.FileName);
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = default(SqlStatement);
        try
        {
            foreach (var statement in SqlScript.Split(file.Sql))
            {
                current = statement;
                await using var command = new NpgsqlCommand(statement.Text, connection, transaction) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            stopwatch.Stop();
            await SchemaMigrationsTable.RecordAsync(connection, transaction, file, stopwatch.ElapsedMilliseconds, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            await RollBackQuietlyAsync(transaction);
            throw new MigrationException(
                $"Migration {file.FileName} failed and was rolled back; the database stays at the previous migration. " +
                $"PostgreSQL {ex.SqlState}: {ex.MessageText} ({SqlErrorLocation.Describe(ex, file.Sql, current)}).",
                file.FileName,
                ex);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            await RollBackQuietlyAsync(transaction);
            throw;
        }

        _logger.LogInformation("Applied migration {File} in {ElapsedMs} ms", file.FileName, stopwatch.ElapsedMilliseconds);
    }

    private static async Task RollBackQuietlyAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The server has already aborted the transaction, or the connection is gone; either way nothing was kept.
        }
    }
}
