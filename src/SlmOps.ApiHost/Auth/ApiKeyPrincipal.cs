using System.Security.Claims;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Auth;

/// <summary>The identity a key acts as: its name (which becomes created_by, audit actor, ...), role, prefix and team.</summary>
public static class ApiKeyPrincipal
{
    public static ClaimsPrincipal Create(ApiKey key, string authenticationType) =>
        new(new ClaimsIdentity(
            [
                // A stable user id (the prefix): antiforgery tokens of signed-in users are bound to it.
                new Claim(ClaimTypes.NameIdentifier, key.Prefix),
                new Claim(AuthSchemes.NameClaim, key.Name),
                new Claim(AuthSchemes.RoleClaim, ApiRoles.Name(key.Role)),
                new Claim(AuthSchemes.KeyPrefixClaim, key.Prefix),
                new Claim(AuthSchemes.TeamClaim, key.Team),
            ],
            authenticationType, AuthSchemes.NameClaim, AuthSchemes.RoleClaim));

    public static string? PrefixOf(ClaimsPrincipal user) => user.FindFirst(AuthSchemes.KeyPrefixClaim)?.Value;

    /// <summary>The key's team; null for anonymous (and for a cookie signed in before teams, which is then renewed).</summary>
    public static string? TeamOf(ClaimsPrincipal user) => user.FindFirst(AuthSchemes.TeamClaim)?.Value;

    /// <summary>The acting user's name for created_by and audit columns.</summary>
    public static string ActorOf(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
