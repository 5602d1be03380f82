using Npgsql;
using SlmOps.Data.Migrations;
using SlmOps.Hosting;

namespace SlmOps.Web.Extensions;

/// <summary>One-shot commands of the web executable (`SlmOps.Web migrate`), run instead of the server.</summary>
public static class WebCommands
{
    public const string Migrate = "migrate";

    /// <summary>The host's configuration sources without the host, for commands that must not start Kestrel or consumers.</summary>
    public static IConfiguration Configuration(string[] args) => new ConfigurationBuilder()
        .AddSlmOpsDevelopmentDefaults()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args)
        .Build();

    /// <summary>Applies pending SQL migrations; exit code 0 on success, 1 with a one-line reason otherwise.</summary>
    public static async Task<int> MigrateAsync(string[] args)
    {
        var configuration = Configuration(args);
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggers.CreateLogger("SlmOps.Migrate");

        var connectionString = configuration.GetConnectionString("Postgres")!;
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        try
        {
            var runner = new MigrationRunner(connectionString, MigrationRunner.DefaultMigrationsDirectory, logger);
            var applied = await runner.ApplyAsync(CancellationToken.None);
            logger.LogInformation("Applied {Count} migration(s) to {Database} at {Host}:{Port}{List}",
                applied.Count, target.Database, target.Host, target.Port,
                applied.Count == 0 ? "" : ": " + string.Join(", ", applied));
            return 0;
        }
        catch (Exception error) when (error is MigrationException or NpgsqlException or IOException)
        {
            logger.LogError("Migration of {Database} at {Host}:{Port} failed: {Reason}",
                target.Database, target.Host, target.Port, error.GetBaseException().Message);
            return 1;
        }
    }
}
