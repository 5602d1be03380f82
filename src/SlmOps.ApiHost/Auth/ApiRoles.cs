using System.Collections.Frozen;
using System.Security.Claims;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Auth;

/// <summary>
/// Role names as they appear in claims, policies, the database and the API ("viewer" ... "admin", "worker"), and the
/// authorization policies built on them.
/// </summary>
public static class ApiRoles
{
    /// <summary>Admits worker keys and admin keys (an admin can act as a worker to debug one).</summary>
    public const string WorkerPolicy = "worker";

    /// <summary>The ladder: each role may do everything the ones before it may.</summary>
    public static readonly IReadOnlyList<ApiKeyRole> Ladder = [ApiKeyRole.Viewer, ApiKeyRole.Editor, ApiKeyRole.Promoter, ApiKeyRole.Admin];

    /// <summary>Every role a key can have, ladder first.</summary>
    public static readonly IReadOnlyList<ApiKeyRole> All = [.. Ladder, ApiKeyRole.Worker];

    /// <summary>
    /// Every policy by name: "viewer" ... "admin" (that role or higher), "viewer-or-worker" ... (that, or a worker key)
    /// and <see cref="WorkerPolicy"/>. Registration, the OpenAPI document and the 403 answers all read this one table.
    /// </summary>
    public static readonly FrozenDictionary<string, MinimumRoleRequirement> Policies = Ladder
        .SelectMany(role => new[]
        {
            KeyValuePair.Create(PolicyName(role), new MinimumRoleRequirement(role)),
            KeyValuePair.Create(OrWorkerPolicyName(role), new MinimumRoleRequirement(role, admitsWorkers: true)),
        })
        .Append(KeyValuePair.Create(WorkerPolicy, new MinimumRoleRequirement(ApiKeyRole.Admin, admitsWorkers: true)))
        .ToFrozenDictionary();

    public static string Name(ApiKeyRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The policy that admits <paramref name="role"/> and every higher role (for Worker: <see cref="WorkerPolicy"/>).</summary>
    public static string PolicyName(ApiKeyRole role) => Name(role);

    /// <summary>The policy that admits <paramref name="minimum"/> and higher, and worker keys too.</summary>
    public static string OrWorkerPolicyName(ApiKeyRole minimum) => $"{Name(minimum)}-or-worker";

    /// <summary>The requirement behind a policy name; null for a policy that is not one of ours.</summary>
    public static MinimumRoleRequirement? RequirementOf(string? policy) =>
        policy is not null && Policies.TryGetValue(policy, out var requirement) ? requirement : null;

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

    /// <summary>The highest role the principal holds, or null when it has none (anonymous). Worker ranks lowest.</summary>
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
