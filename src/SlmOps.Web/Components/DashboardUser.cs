using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Components;

/// <summary>What the signed-in user may do on the dashboard: the same role ladder and team rules as the API.</summary>
public static class DashboardUser
{
    /// <summary>The highest role the user holds, as its lower-case name; "viewer" is not assumed for anonymous.</summary>
    public static string RoleOf(ClaimsPrincipal user) => HighestRole(user)?.ToString().ToLowerInvariant() ?? "none";

    public static bool Can(ClaimsPrincipal? user, ApiKeyRole needed) =>
        user is not null && HighestRole(user) is { } held && held >= needed;

    /// <summary>The user as the team rules see it; a user not known yet sees nothing.</summary>
    public static TeamCaller Caller(ClaimsPrincipal? user) => user is null ? new TeamCaller("anonymous", null, null) : TeamCaller.Of(user);

    /// <summary>The team the team switcher chose (<c>?team=</c> on the page's address); null for every team.</summary>
    public static string? TeamFilter(NavigationManager navigation) =>
        QueryHelpers.ParseQuery(navigation.ToAbsoluteUri(navigation.Uri).Query).TryGetValue(TeamSwitcherQuery, out var team)
        && TeamNames.Problem(team.ToString()) is null ? team.ToString() : null;

    /// <summary>The query parameter of the team switcher.</summary>
    public const string TeamSwitcherQuery = "team";

    /// <summary>Whether the user may promote and roll back the aliases of a task model of <paramref name="owner"/>: the
    /// promoter role in that team, or admin (a task shared with the user's team is read only).</summary>
    public static bool CanPromote(ClaimsPrincipal? user, string owner) =>
        TeamAccess.Decide(Caller(user), TeamRight.Promote, TeamAccess.TaskModelKind, "", owner, sharedWithCaller: true).Allowed;

    private static ApiKeyRole? HighestRole(ClaimsPrincipal user)
    {
        ApiKeyRole? best = null;
        foreach (var claim in user.FindAll(ClaimTypes.Role))
        {
            if (Enum.TryParse<ApiKeyRole>(claim.Value, ignoreCase: true, out var role) && (best is null || role > best))
            {
                best = role;
            }
        }
        return best;
    }
}
