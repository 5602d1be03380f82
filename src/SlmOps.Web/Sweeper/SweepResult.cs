namespace SlmOps.Web.Sweeper;

/// <summary>What one sweep did, by run id.</summary>
public sealed record SweepResult(
    IReadOnlyList<Guid> Requeued,
    IReadOnlyList<Guid> Failed,
    IReadOnlyList<Guid> Redispatched,
    IReadOnlyList<Guid>? ReleasedGangs = null);
