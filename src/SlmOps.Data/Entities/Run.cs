using SlmOps.Contracts;

namespace SlmOps.Data.Entities;

/// <summary>
/// One job: submitted Queued by the API, claimed by a worker with a conditional UPDATE
/// (<c>WHERE status = 'Queued'</c>), and finished Succeeded, Failed or Cancelled.
/// </summary>
public sealed class Run
{
    public Guid Id { get; set; }
    public RunKind Kind { get; set; }
    public RunStatus Status { get; set; } = RunStatus.Queued;
    public string? Name { get; set; }

    /// <summary>The full submitted configuration as a JSON object (jsonb).</summary>
    public string Config { get; set; } = "{}";

    public int Priority { get; set; }

    /// <summary>Incremented by every claim, so a resumed attempt is distinguishable from the first.</summary>
    public int Attempt { get; set; }

    public int MaxAttempts { get; set; } = 3;
    public string? WorkerName { get; set; }
    public string? Device { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    public DateTimeOffset QueuedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? CancelRequestedAt { get; set; }

    /// <summary>Why the platform asked for the cancel (e.g. "stopped early at step 40"); null when a user did.</summary>
    public string? CancelReason { get; set; }

    public string? Error { get; set; }
    public string? CodeVersion { get; set; }
    public Guid? ParentRunId { get; set; }
    public Guid? ClonedFromRunId { get; set; }

    /// <summary>Fraction done, 0..1.</summary>
    public double Progress { get; set; }

    public double? LatestLoss { get; set; }
    public string? CheckpointSha256 { get; set; }
    public long? CheckpointStep { get; set; }

    /// <summary>What the run registered, as a JSON object (jsonb), e.g. {"slm_version": "12"}; null until it succeeds.</summary>
    public string? Outputs { get; set; }

    /// <summary>The MLflow run this run was exported to; set once, so a repeated export reuses it.</summary>
    public string? MlflowRunId { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The owning team's name: the team of the key that submitted it.</summary>
    public string Team { get; set; } = Entities.Team.DefaultName;
}
