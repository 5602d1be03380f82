namespace SlmOps.Data.Entities;

/// <summary>
/// Rank <see cref="Rank"/> of a data-parallel run's attempt and the worker holding it (table run_ranks). A row without a
/// worker is a rank still offered to the workers; <see cref="JoinedAt"/> is set once the rank's process group formed.
/// </summary>
public sealed class RunRank
{
    public Guid RunId { get; set; }
    public int Attempt { get; set; }
    public int Rank { get; set; }
    public int WorldSize { get; set; }
    public string? WorkerName { get; set; }
    public string? Device { get; set; }

    /// <summary>Rank 0 only: host:port of the TCP store it hosts, where the other ranks rendezvous.</summary>
    public string? StoreAddress { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? JoinedAt { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }

    /// <summary>All ranks run on one worker (threads, one per device) rather than gang-scheduled across workers.</summary>
    public bool Local { get; set; }
}
