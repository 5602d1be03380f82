using System.Diagnostics.CodeAnalysis;
using Npgsql;
using SlmOps.Data.Migrations;
using SlmOps.Hosting;

namespace SlmOps.Web.Extensions;

/// <summary>One-shot commands of the web executable (`SlmOps.Web migrate`), run instead of the server.</summary>
public static class WebCommands
{
    public const string Migrate = "migrate";

    /// <summary>
    /// The host's configuration sources without the host, for commands that must not start Kestrel or consumers. As for
    /// the host, the database setting is the local stack's in Development only; elsewhere a missing one is refused: false,
    /// after writing which setting and how to set it to <paramref name="messages"/>.
    /// </summary>
    public static bool TryConfiguration(string[] args, TextWriter messages, [NotNullWhen(true)] out IConfiguration? configuration)
    {
        var environment = RequiredSettings.CommandEnvironmentName();
        var built = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .AddDevelopmentValues(environment, ApiHostSettings.Commands)
            .Build();
        var missing = RequiredSettings.Missing(built, environment, ApiHostSettings.Commands);
        if (missing.Count > 0)
        {
            messages.WriteLine(RequiredSettings.Explain("SlmOps.Web", environment, missing));
            configuration = null;
            return false;
        }
        configuration = built;
        return true;
    }

    /// <summary>Applies pending SQL migrations; exit code 0 on success, 1 with a one-line reason otherwise.</summary>
    public static async Task<int> MigrateAsync(string[] args)
    {
        if (!TryConfiguration(args, Console.Error, out var configuration)) return 1;
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
