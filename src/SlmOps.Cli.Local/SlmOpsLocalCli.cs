using System.CommandLine;
using SlmOps.Cli.Local.Commands;
using Spectre.Console;

namespace SlmOps.Cli.Local;

/// <summary>
/// The `slmops-local` command tree: commands that run models in this process on libtorch (no server involved).
/// Exit codes: 0 success, 2 bad input (the same code the `slmops` client uses for usage errors).
/// </summary>
public static class SlmOpsLocalCli
{
    public const int BadInput = 2;

    /// <summary>Runs with everything on <paramref name="console"/>.</summary>
    public static int Run(string[] args, IAnsiConsole console)
    {
        var root = new RootCommand("SlmOps, local: describe model presets and compare adaptation methods on this machine (libtorch). " +
            "The client of an SlmOps server is `slmops`.");
        var model = new Command("model", "Model architectures.");
        model.Subcommands.Add(ModelDescribeCommand.Create(console));
        var experiment = new Command("experiment", "Experiments.");
        experiment.Subcommands.Add(ExperimentCompareCommand.Create(console));
        root.Subcommands.Add(model);
        root.Subcommands.Add(experiment);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            console.MarkupLine("Run with --help for usage.");
            return BadInput;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = console.Profile.Out.Writer, Error = console.Profile.Out.Writer });
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
