using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SlmOps.Data;
using SlmOps.Data.Migrations;

namespace SlmOps.TestSupport;

/// <summary>
/// A uniquely named, throw-away database on the test server (<see cref="TestStack.PostgresConnectionString"/>),
/// empty or with every repository migration applied. Dropped, with any open sessions, on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private NpgsqlDataSource? _dataSource;

    private TestDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>A data source on this database, made on first use and disposed with it.</summary>
    public NpgsqlDataSource DataSource => _dataSource ??= NpgsqlDataSource.Create(ConnectionString);

    /// <summary>A database name for <paramref name="purpose"/> (lowercase letters, digits, underscores) that no other test uses.</summary>
    public static string UniqueName(string purpose)
    {
        var name = $"slmops_test_{purpose}_{Guid.NewGuid():N}";
        return name[..Math.Min(name.Length, 63)];
    }

    /// <summary>An empty database.</summary>
    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var database = new TestDatabase(UniqueName(purpose));
        await TestStack.ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    /// <summary>A database with the repository's migrations applied, as a deployment has it.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(string purpose)
    {
        var database = await CreateAsync(purpose);
        await new MigrationRunner(database.ConnectionString, MigrationRunner.DefaultMigrationsDirectory, NullLogger.Instance)
            .ApplyAsync(CancellationToken.None);
        return database;
    }

    public SlmOpsDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SlmOpsDbContext>().UseNpgsql(ConnectionString).Options);

    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The first column of the first row (default for none or NULL); <paramref name="values"/> bind $1, $2, ...</summary>
    public Task<T?> ScalarAsync<T>(string sql, params object[] values) => Sql.ScalarAsync<T>(ConnectionString, sql, values);

    public Task ExecuteAsync(string sql, params object[] values) => Sql.ScalarAsync<object>(ConnectionString, sql, values);

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await DropAsync(Name);
    }

    /// <summary>
    /// Drops a test database. FORCE cannot end sessions of other roles, such as an autovacuum worker that a bulk
    /// insert woke: it ends soon, so retry for a while, and rather leave a stray test database than fail a test that passed.
    /// </summary>
    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await TestStack.ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                if (attempt == 20) return;
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
