namespace SlmOps.Data.Entities;

/// <summary>An API key. Only a hash of the secret is stored; the prefix identifies the key in lists and logs.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string KeyHash { get; set; }
    public ApiKeyRole Role { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The team the key acts in; its role is its role there (admin and worker keys act platform-wide).</summary>
    public string Team { get; set; } = Entities.Team.DefaultName;
}
