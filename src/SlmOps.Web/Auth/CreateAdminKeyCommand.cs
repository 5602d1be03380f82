using SlmOps.Data.Entities;

namespace SlmOps.Web.Auth;

/// <summary>
/// `SlmOps.Web create-admin-key [--name NAME] [--if-none]`: issues an admin key (the first one bootstraps key
/// management). With --if-none it does nothing when an active admin key already exists, so deploy scripts can run it
/// on every start. See <see cref="IssueKeyCommand"/> for the output and exit codes.
/// </summary>
public static class CreateAdminKeyCommand
{
    public const string Name = "create-admin-key";
    public const string DefaultKeyName = "admin";

    private static readonly IssueKeyCommand Command = new(Name, ApiKeyRole.Admin, DefaultKeyName)
    {
        AlreadyHasKey = (keys, ct) => keys.HasActiveAdminAsync(ct),
        AlreadyHasKeyMessage = $"An active admin key already exists; none created ({IssueKeyCommand.IfNoneFlag}). GET /api/v1/api-keys lists the keys.",
    };

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter messages) => Command.RunAsync(args, output, messages);
}
