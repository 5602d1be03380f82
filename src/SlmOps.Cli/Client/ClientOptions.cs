using System.CommandLine;
using SlmOps.Cli.Api;
using SlmOps.Cli.Config;

namespace SlmOps.Cli.Client;

/// <summary>The options every server command takes (--server, --key, --json) and the one way such a command runs.</summary>
public sealed class ClientOptions
{
    private readonly Option<string?> _server = new("--server") { Description = "Server URL (overrides SLMOPS_SERVER and the config file)." };
    private readonly Option<string?> _key = new("--key") { Description = "API key (overrides SLMOPS_API_KEY and the config file)." };
    private readonly Option<bool> _json = new("--json") { Description = "Print machine-readable JSON on stdout; messages go to stderr." };

    private ClientOptions()
    {
    }

    /// <summary>Adds the options to <paramref name="command"/> and runs <paramref name="body"/> as its action.</summary>
    public static void SetAction(Command command, CliContext context, Func<ClientCall, Task<int>> body)
    {
        var options = new ClientOptions();
        command.Options.Add(options._server);
        command.Options.Add(options._key);
        command.Options.Add(options._json);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(context, async () =>
        {
            var (server, key) = ServerSettings.Resolve(context, parse.GetValue(options._server), parse.GetValue(options._key));
            using var api = new SlmOpsApiClient(server, key, context.RequestTimeout);
            return await body(new ClientCall(api, context, parse, parse.GetValue(options._json), ct));
        }));
    }
}
