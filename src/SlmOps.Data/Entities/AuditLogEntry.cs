namespace SlmOps.Data.Entities;

/// <summary>Who did what to which entity, with JSON snapshots before and after. The table is append-only.</summary>
public sealed class AuditLogEntry
{
    public long Id { get; set; }
    public required string Actor { get; set; }

    /// <summary>Dotted verb, e.g. <c>alias.promote</c>, <c>api_key.revoke</c>.</summary>
    public required string Action { get; set; }

    public required string EntityKind { get; set; }
    public string? EntityId { get; set; }

    /// <summary>JSON (jsonb) snapshot before the change; null for creations.</summary>
    public string? Before { get; set; }

    /// <summary>JSON (jsonb) snapshot after the change; null for deletions.</summary>
    public string? After { get; set; }

    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The team the entry is about (the owner of what changed); no foreign key, the log outlives teams.</summary>
    public string Team { get; set; } = Entities.Team.DefaultName;
}
