using Spectre.Console;

namespace SlmOps.Cli.Local.Tests;

/// <summary>Runs `slmops-local` in-process against a plain, wide, colourless console and returns its exit code and text.</summary>
public static class CliHarness
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 400;
        var code = SlmOpsLocalCli.Run(args, console);
        return (code, writer.ToString());
    }
}
