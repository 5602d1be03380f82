using System.Security.Claims;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Components;

/// <summary>What the signed-in user may do on the dashboard: the same role ladder as the API.</summary>
public static class DashboardUser
{
    /// <summary>The highest role the user holds, as its lower-case name; "viewer" is not assumed for anonymous.</summary>
    public static string RoleOf(ClaimsPrincipal user) => HighestRole(user)?.ToString().ToLowerInvariant() ?? "none";

    public static bool Can(ClaimsPrincipal? user, ApiKeyRole needed) =>
        user is not null && HighestRole(user) is { } held && held >= needed;

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
