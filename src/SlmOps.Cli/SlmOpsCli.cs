using System.CommandLine;
using SlmOps.Cli.Api;
using SlmOps.Cli.Commands;
using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli;

/// <summary>
/// The `slmops` command tree. Exit codes (see <see cref="ExitCodes"/>): 0 success, 1 watched run failed,
/// 2 bad input, 3 auth, 4 not found, 5 rejected by the server, 6 server error or unreachable, 7 watched run cancelled.
/// </summary>
public static class SlmOpsCli
{
    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var root = new RootCommand("SlmOps: manage datasets, runs and the model registry of an SlmOps server, and generate with its models. " +
            "(Describing presets and comparing methods locally, which needs libtorch, is `slmops-local`.)");
        root.Subcommands.Add(ConfigureCommand.Create(context));
        root.Subcommands.Add(DatasetsCommands.Create(context));
        root.Subcommands.Add(RunsCommands.Create(context));
        root.Subcommands.Add(SweepsCommands.Create(context));
        foreach (var command in RegistryCommands.Create(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(GenerateCommand.Create(context));
        root.Subcommands.Add(TeamsCommands.Create(context));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) context.Err.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            context.Err.MarkupLine("Run with --help for usage.");
            return ExitCodes.Usage;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Out.Profile.Out.Writer, Error = context.Err.Profile.Out.Writer });
    }
}
