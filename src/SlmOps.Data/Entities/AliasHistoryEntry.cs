namespace SlmOps.Data.Entities;

/// <summary>One move of an alias; kept after the alias itself is deleted.</summary>
public sealed class AliasHistoryEntry
{
    public long Id { get; set; }
    public long TaskModelId { get; set; }
    public required string AliasName { get; set; }
    public AliasAction Action { get; set; }
    public long? FromSlmVersionId { get; set; }
    public long? ToSlmVersionId { get; set; }

    /// <summary>True when the promotion gate was overridden.</summary>
    public bool Forced { get; set; }

    public required string Actor { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
}
