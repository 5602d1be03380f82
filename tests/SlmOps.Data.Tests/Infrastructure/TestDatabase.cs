using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SlmOps.Data.Tests.Infrastructure;

/// <summary>
/// A uniquely named, throw-away database on the server named by SLMOPS_TEST_PG (default: the development
/// cluster started by deploy/stack.sh). Dropped, with any open sessions, on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string DefaultServer = "Host=127.0.0.1;Port=5433;Database=slmops;Username=slmops;Password=slmops";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("SLMOPS_TEST_PG") is { Length: > 0 } value ? value : DefaultServer;

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var name = $"slmops_test_{purpose}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 63)];
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
        return new TestDatabase(name, connectionString);
    }

    public SlmOpsDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SlmOpsDbContext>().UseNpgsql(ConnectionString).Options);

    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
