using SlmOps.Cli.Api;
using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli.Client;

/// <summary>Runs a command body and turns every expected failure into a message on stderr and its exit code.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ApiException e)
        {
            Print(context.Err, e);
            return e.ExitCode;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException
                                      or DirectoryNotFoundException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            context.Err.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.Usage;
        }
    }

    public static void Print(IAnsiConsole err, ApiException e)
    {
        err.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
        if (e.Problem is not { } problem) return;
        if (!string.IsNullOrWhiteSpace(problem.Detail)) err.MarkupLine($"  {Markup.Escape(problem.Detail)}");
        foreach (var (field, messages) in problem.Errors)
        {
            foreach (var message in messages) err.MarkupLine($"  [yellow]{Markup.Escape(field)}[/]: {Markup.Escape(message)}");
        }
        if (problem.Status == 401) err.MarkupLine("  Check the API key (slmops configure show; --key or SLMOPS_API_KEY).");
        if (problem.Status == 403) err.MarkupLine("  The key's role is too low for this, or the object is another team's; ask an admin for a key with the needed role in that team.");
    }
}
