using Spectre.Console;

namespace SlmOps.Cli.Config;

/// <summary>
/// Where a command writes and what it reads from its environment. <see cref="Out"/> is stdout (results, and
/// only machine output under --json); <see cref="Err"/> is stderr (progress bars, messages, errors).
/// </summary>
public sealed record CliContext(IAnsiConsole Out, IAnsiConsole Err, Func<string, string?> Env)
{
    /// <summary>How often `runs watch` polls the server.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one request may take before the server counts as unreachable.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    public string ConfigPath => CliConfig.DefaultPath(Env);

    public static CliContext ForProcess(IAnsiConsole stdout) =>
        new(stdout, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), Environment.GetEnvironmentVariable);
}
