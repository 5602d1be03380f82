using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Auth;

public enum RevokeOutcome { Revoked, NotFound, AlreadyRevoked, LastActiveAdmin }

/// <summary>Issues, lists and revokes keys; every issue and revoke is written to audit_log in the same transaction.</summary>
public sealed class ApiKeyService(SlmOpsDbContext db, TimeProvider clock)
{
    // Serializes revocations, so two admins revoking each other's keys at once cannot leave no admin.
    private const long RevokeLockId = 0x736c6d5f6b657973; // "slm_keys"

    /// <summary>A key of the <see cref="Team.DefaultName"/> team.</summary>
    public Task<(ApiKey Key, string Plaintext)> CreateAsync(
        string name, ApiKeyRole role, DateTimeOffset? expiresAt, string actor, CancellationToken ct) =>
        CreateAsync(name, role, Team.DefaultName, expiresAt, actor, ct);

    /// <summary>A key acting in <paramref name="team"/> (which must exist: the foreign key refuses others).</summary>
    public async Task<(ApiKey Key, string Plaintext)> CreateAsync(
        string name, ApiKeyRole role, string team, DateTimeOffset? expiresAt, string actor, CancellationToken ct)
    {
        var (plaintext, prefix) = ApiKeyFormat.Generate();
        while (await db.ApiKeys.AnyAsync(k => k.Prefix == prefix, ct)) (plaintext, prefix) = ApiKeyFormat.Generate();
        var key = new ApiKey
        {
            Name = name, Prefix = prefix, KeyHash = ApiKeyFormat.Hash(plaintext), Role = role, CreatedBy = actor,
            CreatedAt = clock.GetUtcNow(), ExpiresAt = expiresAt, Team = team,
        };
        db.ApiKeys.Add(key);
        db.AuditLog.Add(Audit(actor, "api_key.create", prefix, before: null, after: key));
        await db.SaveChangesAsync(ct);
        return (key, plaintext);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(bool includeRevoked, CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking().Where(k => includeRevoked || k.RevokedAt == null)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(ct);

    public async Task<(RevokeOutcome Outcome, ApiKey? Key)> RevokeAsync(string prefix, string actor, string? reason, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RevokeLockId})", ct);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null) return (RevokeOutcome.NotFound, null);
        if (key.RevokedAt is not null) return (RevokeOutcome.AlreadyRevoked, key);
        var now = clock.GetUtcNow();
        if (key.Role == ApiKeyRole.Admin && IsActive(key, now)
            && !await ActiveAdmins(now).AnyAsync(k => k.Id != key.Id, ct))
        {
            return (RevokeOutcome.LastActiveAdmin, key);
        }
        var before = Snapshot(key);
        key.RevokedAt = now;
        db.AuditLog.Add(Audit(actor, "api_key.revoke", prefix, before, key, reason));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (RevokeOutcome.Revoked, key);
    }

    /// <summary>Moves a key to another team (its role is then its role there); audited as api_key.move. Null when no key has the prefix.</summary>
    public async Task<ApiKey?> MoveAsync(string prefix, string team, string actor, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null || key.Team == team) return key;
        var before = Snapshot(key);
        key.Team = team;
        db.AuditLog.Add(Audit(actor, "api_key.move", prefix, before, key));
        await db.SaveChangesAsync(ct);
        return key;
    }

    public Task<bool> HasActiveAdminAsync(CancellationToken ct) => ActiveAdmins(clock.GetUtcNow()).AnyAsync(ct);

    private IQueryable<ApiKey> ActiveAdmins(DateTimeOffset now) =>
        db.ApiKeys.Where(k => k.Role == ApiKeyRole.Admin && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now));

    private static bool IsActive(ApiKey key, DateTimeOffset now) => key.RevokedAt is null && (key.ExpiresAt is null || key.ExpiresAt > now);

    private AuditLogEntry Audit(string actor, string action, string prefix, string? before, ApiKey? after, string? reason = null) => new()
    {
        Actor = actor, Action = action, EntityKind = AuditEntityKinds.ApiKey, EntityId = prefix,
        Before = before, After = after is null ? null : Snapshot(after), Reason = reason, At = clock.GetUtcNow(), Team = after?.Team ?? Team.DefaultName,
    };

    private static string Snapshot(ApiKey key) => JsonSerializer.Serialize(new
    {
        prefix = key.Prefix, name = key.Name, role = ApiRoles.Name(key.Role), team = key.Team, expiresAt = key.ExpiresAt, revokedAt = key.RevokedAt,
    });
}
