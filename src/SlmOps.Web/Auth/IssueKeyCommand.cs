using Microsoft.EntityFrameworkCore;
using Npgsql;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Extensions;

namespace SlmOps.Web.Auth;

/// <summary>
/// The body of the key-issuing commands (`create-admin-key`, `create-worker-key`): `[--name NAME] [--if-none]
/// [--Setting value ...]` issues a key of <see cref="Role"/> and writes it, alone, to stdout (everything else goes to
/// stderr, so scripts can capture the key). The command name becomes the audit actor. Exit 0 on success or nothing to
/// do, 1 with a one-line reason otherwise.
/// </summary>
public sealed class IssueKeyCommand(string command, ApiKeyRole role, string defaultKeyName)
{
    public const string IfNoneFlag = "--if-none";

    public string Command { get; } = command;
    public ApiKeyRole Role { get; } = role;
    public string DefaultKeyName { get; } = defaultKeyName;

    /// <summary>With <see cref="IfNoneFlag"/>: true when a key that makes this one unnecessary exists. Null: no --if-none.</summary>
    public Func<ApiKeyService, CancellationToken, Task<bool>>? AlreadyHasKey { get; init; }

    /// <summary>Said on stderr when <see cref="AlreadyHasKey"/> answered true.</summary>
    public string AlreadyHasKeyMessage { get; init; } = "";

    public async Task<int> RunAsync(string[] args, TextWriter output, TextWriter messages)
    {
        var keyName = DefaultKeyName;
        var ifNone = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case IfNoneFlag when AlreadyHasKey is not null: ifNone = true; break;
                case IfNoneFlag:
                    await messages.WriteLineAsync($"{Command} has no {IfNoneFlag} option.");
                    return 1;
                case "--name" when i + 1 < args.Length: keyName = args[++i]; break;
                case "--name":
                    await messages.WriteLineAsync($"--name needs a value, e.g. --name {DefaultKeyName}-1");
                    return 1;
                default: rest.Add(args[i]); break;
            }
        }

        if (!WebCommands.TryConfiguration(rest.ToArray(), messages, out var configuration)) return 1;
        await using var provider = Services(configuration);
        await using var scope = provider.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        var what = $"{(ApiRoles.Name(Role)[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a")} {ApiRoles.Name(Role)} key";
        try
        {
            if (ifNone && await AlreadyHasKey!(keys, CancellationToken.None))
            {
                await messages.WriteLineAsync(AlreadyHasKeyMessage);
                return 0;
            }
            var (key, plaintext) = await keys.CreateAsync(keyName, Role, null, Command, CancellationToken.None);
            await messages.WriteLineAsync($"Created {ApiRoles.Name(Role)} key '{key.Name}' ({ApiKeyFormat.Display(key.Prefix)}). It is printed below once; store it now.");
            await output.WriteLineAsync(plaintext);
            return 0;
        }
        catch (Exception error) when (error is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            await messages.WriteLineAsync($"Could not create {what}: {error.GetBaseException().Message} (is the database up and migrated? run `SlmOps.Web migrate`)");
            return 1;
        }
    }

    // Configuration, data and the key service only: the command must not start consumers, jobs or Kestrel.
    private static ServiceProvider Services(IConfiguration configuration) => new ServiceCollection()
        .AddLogging()
        .AddSingleton(TimeProvider.System)
        .AddSlmOpsData(configuration, data => data.MigrateOnStartup = false)
        .AddScoped<ApiKeyService>()
        .BuildServiceProvider();
}
