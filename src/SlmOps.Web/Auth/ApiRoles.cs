using System.Security.Claims;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Auth;

/// <summary>Role names as they appear in claims, policies, the database and the API ("viewer" ... "admin").</summary>
public static class ApiRoles
{
    public static readonly IReadOnlyList<ApiKeyRole> All = Enum.GetValues<ApiKeyRole>();

    public static string Name(ApiKeyRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The authorization policy that admits <paramref name="role"/> and every higher role.</summary>
    public static string PolicyName(ApiKeyRole role) => Name(role);

    public static bool TryParse(string? text, out ApiKeyRole role)
    {
        var wanted = text?.Trim().ToLowerInvariant();
        foreach (var candidate in All)
        {
            if (Name(candidate) != wanted) continue;
            role = candidate;
            return true;
        }
        role = default;
        return false;
    }

    public static string Allowed => string.Join(", ", All.Select(Name));

    /// <summary>The highest role the principal holds, or null when it has none (anonymous).</summary>
    public static ApiKeyRole? Of(ClaimsPrincipal user)
    {
        ApiKeyRole? best = null;
        foreach (var claim in user.FindAll(AuthSchemes.RoleClaim))
        {
            if (TryParse(claim.Value, out var role) && (best is null || role > best)) best = role;
        }
        return best;
    }
}
