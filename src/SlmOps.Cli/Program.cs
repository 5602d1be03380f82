using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli;

/// <summary>The process entry point (a named class, so test projects that also host the web app's Program see no clash).</summary>
internal static class EntryPoint
{
    public static Task<int> Main(string[] args) => SlmOpsCli.RunAsync(args, CliContext.ForProcess(AnsiConsole.Console));
}
