namespace SlmOps.Data.Tests.Infrastructure;

/// <summary>Class fixture: one database per test class, migrated with the real migrations.</summary>
public sealed class MigratedDatabase : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Fixture not initialised.");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("schema");

    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
