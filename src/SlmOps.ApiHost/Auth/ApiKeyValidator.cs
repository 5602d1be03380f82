using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Auth;

/// <summary>The outcome of checking a presented key: a principal, or a sentence saying why it was refused.</summary>
public sealed record ApiKeyValidation(ClaimsPrincipal? Principal, string? Failure)
{
    public static ApiKeyValidation Refused(string reason) => new(null, reason);
}

/// <summary>
/// Checks a presented key against api_keys (hash compared in constant time; revoked and expired keys refused) and
/// records its use. last_used_at is written at most once a minute per key, so reads do not become writes.
/// </summary>
public sealed class ApiKeyValidator(IDbContextFactory<SlmOpsDbContext> contexts, TimeProvider clock)
{
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<ApiKeyValidation> ValidateAsync(string presented, string authenticationType, CancellationToken ct)
    {
        if (!ApiKeyFormat.TryGetPrefix(presented, out var prefix))
            return ApiKeyValidation.Refused($"The API key is malformed: keys look like {ApiKeyFormat.Marker}<8 characters>_<secret>.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null || !ApiKeyFormat.HashMatches(presented, key.KeyHash))
            return ApiKeyValidation.Refused($"The API key {ApiKeyFormat.Display(prefix)} is not known.");
        var now = clock.GetUtcNow();
        if (key.RevokedAt is { } revoked)
            return ApiKeyValidation.Refused($"The API key {ApiKeyFormat.Display(prefix)} ('{key.Name}') was revoked at {revoked:u}.");
        if (key.ExpiresAt is { } expires && expires <= now)
            return ApiKeyValidation.Refused($"The API key {ApiKeyFormat.Display(prefix)} ('{key.Name}') expired at {expires:u}.");

        await TouchAsync(db, key, now, ct);
        return new ApiKeyValidation(ApiKeyPrincipal.Create(key, authenticationType), null);
    }

    /// <summary>Whether the key behind a signed-in cookie may still be used; null when it may not.</summary>
    public async Task<ApiKey?> FindActiveAsync(string prefix, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(
            k => k.Prefix == prefix && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now), ct);
        if (key is not null) await TouchAsync(db, key, now, ct);
        return key;
    }

    private static async Task TouchAsync(SlmOpsDbContext db, ApiKey key, DateTimeOffset now, CancellationToken ct)
    {
        if (key.LastUsedAt is { } last && now - last < LastUsedResolution) return;
        var staleBefore = now - LastUsedResolution;
        // Conditional, so concurrent requests on several nodes still write once per minute.
        await db.ApiKeys.Where(k => k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt < staleBefore))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
    }
}
