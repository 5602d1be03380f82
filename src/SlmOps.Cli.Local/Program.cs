using Spectre.Console;

namespace SlmOps.Cli.Local;

/// <summary>The process entry point of `slmops-local`.</summary>
internal static class EntryPoint
{
    public static int Main(string[] args) => SlmOpsLocalCli.Run(args, AnsiConsole.Console);
}
