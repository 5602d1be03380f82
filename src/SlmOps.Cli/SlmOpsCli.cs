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
    public const int BadInput = ExitCodes.Usage;

    /// <summary>Runs with everything on <paramref name="console"/> (tests of the offline commands use this).</summary>
    public static int Run(string[] args, IAnsiConsole console) =>
        RunAsync(args, new CliContext(console, console, Environment.GetEnvironmentVariable)).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var root = new RootCommand("SlmOps: manage datasets, runs and the model registry of an SlmOps server; describe model presets and compare adaptation methods locally.");
        var model = new Command("model", "Model architectures.");
        model.Subcommands.Add(ModelDescribeCommand.Create(context.Out));
        var experiment = new Command("experiment", "Experiments.");
        experiment.Subcommands.Add(ExperimentCompareCommand.Create(context.Out));
        root.Subcommands.Add(model);
        root.Subcommands.Add(experiment);
        root.Subcommands.Add(ConfigureCommand.Create(context));
        root.Subcommands.Add(DatasetsCommands.Create(context));
        root.Subcommands.Add(RunsCommands.Create(context));
        foreach (var command in RegistryCommands.Create(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(GenerateCommand.Create(context));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) context.Err.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            context.Err.MarkupLine("Run with --help for usage.");
            return ExitCodes.Usage;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Out.Profile.Out.Writer, Error = context.Err.Profile.Out.Writer });
    }

    /// <summary>Runs a command body; a refused input (ArgumentException/InvalidDataException/FileNotFound) exits non-zero with its message.</summary>
    public static int Guarded(IAnsiConsole console, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return BadInput;
        }
    }
}
