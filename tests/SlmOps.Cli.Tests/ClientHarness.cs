using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli.Tests;

/// <summary>What one `slmops` invocation did: exit code, stdout, stderr.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs `slmops` in-process with separate stdout/stderr consoles and a private environment (no process-wide
/// variables, so tests can run in parallel): SLMOPS_CONFIG points at the test's own config file.
/// </summary>
public static class ClientHarness
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext(Plain(stdout), Plain(stderr), name => environment.TryGetValue(name, out var value) ? value : null)
        {
            PollInterval = TimeSpan.FromMilliseconds(200),
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        var code = await SlmOpsCli.RunAsync(args, context);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private static IAnsiConsole Plain(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 400;
        return console;
    }
}
