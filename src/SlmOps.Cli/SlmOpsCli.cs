using System.CommandLine;
using SlmOps.Cli.Commands;
using Spectre.Console;

namespace SlmOps.Cli;

/// <summary>The `slmops` command tree. Exit codes: 0 success, 2 bad input (with the reason on the console).</summary>
public static class SlmOpsCli
{
    public const int BadInput = 2;

    public static int Run(string[] args, IAnsiConsole console)
    {
        var root = new RootCommand("SlmOps: describe model presets and compare adaptation methods of a frozen LLM.");
        var model = new Command("model", "Model architectures.");
        model.Subcommands.Add(ModelDescribeCommand.Create(console));
        var experiment = new Command("experiment", "Experiments.");
        experiment.Subcommands.Add(ExperimentCompareCommand.Create(console));
        root.Subcommands.Add(model);
        root.Subcommands.Add(experiment);
        return root.Parse(args).Invoke();
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
