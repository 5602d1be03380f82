namespace SlmOps.Data.Entities;

/// <summary>A worker process as it last reported itself (table workers).</summary>
public sealed class WorkerNode
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    public required string Device { get; set; }

    public int Slots { get; set; } = 1;
    public Guid? CurrentRunId { get; set; }
    public string? CodeVersion { get; set; }
    public DateTimeOffset StartedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastSeenAt { get; set; } = DateTimeOffset.UtcNow;
}
