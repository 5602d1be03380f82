using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SlmOps.Data.Migrations;

namespace SlmOps.Web.Tests.Sweeper;

/// <summary>A throw-away database on the test server with every repository migration applied; dropped on dispose.</summary>
internal sealed class MigratedDatabase : IAsyncDisposable
{
    private MigratedDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<MigratedDatabase> CreateAsync(string purpose)
    {
        var name = $"slmops_test_{purpose}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 63)];
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Database = name }.ConnectionString;
        await new MigrationRunner(connectionString, MigrationRunner.DefaultMigrationsDirectory, NullLogger.Instance)
            .ApplyAsync(CancellationToken.None);
        return new MigratedDatabase(name, connectionString);
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (parameterName, value) in parameters) command.Parameters.AddWithValue(parameterName, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (parameterName, value) in parameters) command.Parameters.AddWithValue(parameterName, value);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        // FORCE cannot end sessions of other roles, such as an autovacuum worker that a bulk insert woke: it ends
        // soon, so retry for a while, and rather leave a stray test database than fail a test that passed.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                if (attempt == 20) return;
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
