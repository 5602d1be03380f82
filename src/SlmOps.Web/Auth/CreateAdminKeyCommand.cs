using Microsoft.EntityFrameworkCore;
using Npgsql;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Hosting;

namespace SlmOps.Web.Auth;

/// <summary>
/// `SlmOps.Web create-admin-key [--name NAME] [--if-none]`: issues an admin key and writes it, alone, to stdout
/// (everything else goes to stderr, so scripts can capture the key). With --if-none it does nothing when an active
/// admin key already exists. Exit 0 on success or nothing to do, 1 with a one-line reason otherwise.
/// </summary>
public static class CreateAdminKeyCommand
{
    public const string Name = "create-admin-key";
    public const string DefaultKeyName = "admin";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter messages)
    {
        var keyName = DefaultKeyName;
        var ifNone = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--if-none": ifNone = true; break;
                case "--name" when i + 1 < args.Length: keyName = args[++i]; break;
                case "--name":
                    await messages.WriteLineAsync("--name needs a value, e.g. --name ops-admin");
                    return 1;
                default: rest.Add(args[i]); break;
            }
        }

        var configuration = new ConfigurationBuilder()
            .AddSlmOpsDevelopmentDefaults()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(rest.ToArray())
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSlmOpsData(configuration, data => data.MigrateOnStartup = false)
            .AddScoped<ApiKeyService>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        try
        {
            if (ifNone && await keys.HasActiveAdminAsync(CancellationToken.None))
            {
                await messages.WriteLineAsync("An active admin key already exists; none created (--if-none). GET /api/v1/api-keys lists the keys.");
                return 0;
            }
            var (key, plaintext) = await keys.CreateAsync(keyName, ApiKeyRole.Admin, null, "create-admin-key", CancellationToken.None);
            await messages.WriteLineAsync($"Created admin key '{key.Name}' ({ApiKeyFormat.Display(key.Prefix)}). It is printed below once; store it now.");
            await output.WriteLineAsync(plaintext);
            return 0;
        }
        catch (Exception error) when (error is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            await messages.WriteLineAsync($"Could not create an admin key: {error.GetBaseException().Message} (is the database up and migrated? run `SlmOps.Web migrate`)");
            return 1;
        }
    }
}
