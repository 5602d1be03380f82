using SlmOps.Data.Entities;

namespace SlmOps.Web.Auth;

/// <summary>
/// `SlmOps.Web create-worker-key [--name NAME]`: issues a worker key for a remote worker machine, which then needs
/// only the broker, the web host's URL and this key. Name it after the machine: the name shows in key lists and logs.
/// See <see cref="IssueKeyCommand"/> for the output and exit codes.
/// </summary>
public static class CreateWorkerKeyCommand
{
    public const string Name = "create-worker-key";
    public const string DefaultKeyName = "worker";

    private static readonly IssueKeyCommand Command = new(Name, ApiKeyRole.Worker, DefaultKeyName);

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter messages) => Command.RunAsync(args, output, messages);
}
