namespace SlmOps.Data.Entities;

/// <summary>
/// A team: it owns datasets, runs and task models, and its API keys act inside it. The platform team owns the base
/// models. Quotas are null when unlimited.
/// </summary>
public sealed class Team
{
    /// <summary>The team of everything made before teams existed, and of keys made without one.</summary>
    public const string DefaultName = "default";

    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>Whether this is the platform team (exactly one is): its editors pretrain and register base models.</summary>
    public bool Platform { get; set; }

    /// <summary>Most runs of the team running at once; a run over it waits in Queued.</summary>
    public int? MaxRunningRuns { get; set; }

    /// <summary>Most runs of the team sent to the workers' queues and not yet claimed; a run over it waits in Queued unsent.</summary>
    public int? MaxQueuedRuns { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
