using System.CommandLine;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli.Client;

/// <summary>One invocation of a server command: the API, the consoles, the parsed line and --json.</summary>
public sealed record ClientCall(SlmOpsApiClient Api, CliContext Context, ParseResult Parse, bool Json, CancellationToken Ct)
{
    private static readonly JsonSerializerOptions Indented = new(SlmOpsApiClient.Json) { WriteIndented = true };

    public IAnsiConsole Out => Context.Out;

    public IAnsiConsole Err => Context.Err;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    /// <summary>Writes <paramref name="value"/> as indented JSON on stdout, unwrapped and unstyled.</summary>
    public int WriteJson(object? value)
    {
        Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Indented));
        Out.Profile.Out.Writer.Flush();
        return ExitCodes.Success;
    }

    /// <summary>A human message on stderr, so stdout stays clean for --json.</summary>
    public void Say(string markup) => Err.MarkupLine(markup);
}
