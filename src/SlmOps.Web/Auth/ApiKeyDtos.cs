using SlmOps.Data.Entities;

namespace SlmOps.Web.Auth;

/// <summary>
/// POST /api/v1/api-keys body. Role is one of viewer, editor, promoter, admin, worker (a worker machine); team is the team
/// the key acts in (default: <c>default</c>).
/// </summary>
public sealed record CreateApiKeyRequest(string? Name, string? Role, DateTimeOffset? ExpiresAt, string? Team = null);

/// <summary>A key as lists show it: never the secret, never the hash.</summary>
public sealed record ApiKeyDto(
    string Prefix, string Name, string Role, string Team, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active)
{
    public static ApiKeyDto From(ApiKey key, DateTimeOffset now) => new(
        key.Prefix, key.Name, ApiRoles.Name(key.Role), key.Team, key.CreatedBy, key.CreatedAt, key.ExpiresAt, key.LastUsedAt, key.RevokedAt,
        key.RevokedAt is null && (key.ExpiresAt is null || key.ExpiresAt > now));
}

/// <summary>The answer to a create: the only time the plaintext key is ever shown.</summary>
public sealed record CreatedApiKeyDto(string Key, ApiKeyDto ApiKey, string Notice);
