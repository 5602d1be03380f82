using SlmOps.ApiHost.Auth;
using System.Security.Claims;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Teams;

/// <summary>
/// Who is asking, as far as teams go: the key's name, its team and its role (from the principal's claims, which the
/// API key handler and the dashboard cookie set). Admin and worker keys act platform-wide, whatever their team.
/// </summary>
public sealed record TeamCaller(string Name, string? Team, ApiKeyRole? Role)
{
    public static TeamCaller Of(ClaimsPrincipal user) => new(ApiKeyPrincipal.ActorOf(user), ApiKeyPrincipal.TeamOf(user), ApiRoles.Of(user));

    public bool IsAdmin => Role == ApiKeyRole.Admin;

    /// <summary>Admins and worker keys: every team's objects, no share needed.</summary>
    public bool SeesEveryTeam => Role is ApiKeyRole.Admin or ApiKeyRole.Worker;

    /// <summary>The key's role in its own team ("no role" for anonymous).</summary>
    public string RoleName => Role is { } role ? ApiRoles.Name(role) : "no role";

    /// <summary>"'ci-bot' (team 'vision', editor)", for refusals.</summary>
    public override string ToString() => $"'{Name}' (team '{Team ?? "none"}', {RoleName})";
}
