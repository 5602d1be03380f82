using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SlmOps.Data.Metrics;
using SlmOps.Data.Migrations;
using SlmOps.Data.Tests.Infrastructure;

namespace SlmOps.Data.Tests;

public sealed class AddSlmOpsDataTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("hosting");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private IHost BuildHost(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = _database.ConnectionString }
                .Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        builder.Services.AddLogging();
        builder.Services.AddSlmOpsData(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task Starting_the_host_migrates_the_database_and_the_context_reads_it()
    {
        using var host = BuildHost();

        await host.StartAsync();

        await using var scope = host.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<SlmOpsDbContext>();
        Assert.Equal(0, await context.Runs.CountAsync());
        var applied = await host.Services.GetRequiredService<MigrationRunner>().ReadAppliedAsync(CancellationToken.None);
        Assert.Equal(MigrationsDirectory.RealFileNames, applied.Select(a => a.FileName));
        await host.StopAsync();
    }

    [Fact]
    public async Task MigrateOnStartup_false_leaves_the_database_alone()
    {
        using var host = BuildHost(("Database:MigrateOnStartup", "false"));

        await host.StartAsync();

        Assert.False(await _database.ScalarAsync<bool>("SELECT to_regclass('runs') IS NOT NULL"));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_failing_migration_stops_the_host_from_starting()
    {
        using var directory = new MigrationsDirectory();
        directory.Write("0900_broken.sql", "CREATE TABLE oops (;");
        using var host = BuildHost(("Database:MigrationsDirectory", directory.Path));

        var error = await Assert.ThrowsAsync<MigrationException>(() => host.StartAsync());

        Assert.Equal("0900_broken.sql", error.FileName);
    }

    [Fact]
    public void Registers_the_context_its_factory_the_metric_writer_and_the_ingester()
    {
        using var host = BuildHost(("Database:MigrateOnStartup", "false"));
        using var scope = host.Services.CreateScope();

        Assert.NotNull(scope.ServiceProvider.GetRequiredService<SlmOpsDbContext>());
        using var fromFactory = host.Services.GetRequiredService<IDbContextFactory<SlmOpsDbContext>>().CreateDbContext();
        Assert.Equal(_database.Name, fromFactory.Database.GetDbConnection().Database);
        Assert.Same(host.Services.GetRequiredService<RunMetricWriter>(), host.Services.GetRequiredService<RunMetricWriter>());
        Assert.Same(host.Services.GetRequiredService<MetricIngester>(), host.Services.GetRequiredService<MetricIngester>());
    }
}
