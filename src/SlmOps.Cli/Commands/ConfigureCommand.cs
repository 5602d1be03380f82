using System.CommandLine;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli.Commands;

/// <summary>`slmops configure --server URL --key KEY` saves the defaults; `slmops configure show` prints them, key masked.</summary>
public static class ConfigureCommand
{
    public static Command Create(CliContext context)
    {
        var server = new Option<string?>("--server") { Description = "Server URL, e.g. http://localhost:5000." };
        var key = new Option<string?>("--key") { Description = "API key (slm_<prefix>_<secret>)." };
        var command = new Command("configure", $"Save the server URL and API key to the config file (SLMOPS_CONFIG, default ~/.config/slmops/config.json, mode 600).") { server, key };
        command.SetAction((parse, _) => CommandRunner.RunAsync(context, () => Task.FromResult(Save(context, parse.GetValue(server), parse.GetValue(key)))));
        command.Subcommands.Add(CreateShow(context));
        return command;
    }

    private static int Save(CliContext context, string? server, string? key)
    {
        if (server is null && key is null) throw new ArgumentException("Give --server URL and/or --key KEY to save; `slmops configure show` prints what is saved.");
        var path = context.ConfigPath;
        var current = CliConfig.Load(path);
        var updated = new CliConfig(server is null ? current.Server : ServerSettings.ParseServer(server).AbsoluteUri, key ?? current.ApiKey);
        updated.Save(path);
        context.Err.MarkupLine($"Saved to {Markup.Escape(path)}: server {Markup.Escape(updated.Server ?? "(none)")}, key {Markup.Escape(CliConfig.Mask(updated.ApiKey))}");
        return ExitCodes.Success;
    }

    private static Command CreateShow(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("show", "Print the server and API key (masked) the next command would use, and where each comes from.") { json };
        command.SetAction((parse, _) => CommandRunner.RunAsync(context, () => Task.FromResult(Show(context, parse.GetValue(json)))));
        return command;
    }

    private static int Show(CliContext context, bool asJson)
    {
        var path = context.ConfigPath;
        var file = CliConfig.Load(path);
        var (server, serverSource) = Pick(context.Env(ServerSettings.ServerVariable), ServerSettings.ServerVariable, file.Server, path);
        var (key, keySource) = Pick(context.Env(ServerSettings.KeyVariable), ServerSettings.KeyVariable, file.ApiKey, path);
        var shown = new { configFile = path, server, serverSource, apiKey = CliConfig.Mask(key), apiKeySource = keySource };
        if (asJson)
        {
            context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(shown, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return ExitCodes.Success;
        }
        var table = new Table().AddColumn("setting").AddColumn("value").AddColumn("from");
        table.AddRow("server", Markup.Escape(server ?? "(none)"), Markup.Escape(serverSource));
        table.AddRow("api key", Markup.Escape(shown.apiKey), Markup.Escape(keySource));
        table.AddRow("config file", Markup.Escape(path), File.Exists(path) ? "exists" : "missing");
        context.Out.Write(table);
        return ExitCodes.Success;
    }

    private static (string? Value, string Source) Pick(string? fromEnv, string variable, string? fromFile, string path) =>
        !string.IsNullOrWhiteSpace(fromEnv) ? (fromEnv, variable)
        : !string.IsNullOrWhiteSpace(fromFile) ? (fromFile, path)
        : (null, "not set");
}
