namespace SlmOps.Web.Sweeper;

/// <summary>Settings under <c>Sweeper</c>: how often the sweep runs and when a run counts as lost.</summary>
public sealed class SweeperOptions
{
    public const string SectionName = "Sweeper";

    /// <summary>Declares the sweep and the pruning as recurring Hangfire jobs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two sweeps (a recurring job's schedule: whole seconds dividing a minute, minutes dividing an hour, ...).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A Running run whose heartbeat is older than this has lost its worker.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A Queued run not claimed this long after its command was sent (or queued, if never sent) is re-sent.</summary>
    public TimeSpan DispatchTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Time between two passes of the checkpoint pruner.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the work folder (checkpoints) of a finished run is kept.</summary>
    public TimeSpan CheckpointRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Where workers keep one folder per run, named by run id: <c>&lt;id&gt;/work</c> holds the resumable checkpoint,
    /// <c>&lt;id&gt;/output-&lt;attempt&gt;</c> what an attempt left unpublished (the worker's ArtifactLayout).
    /// Default: <c>runs/</c> under <c>Artifacts:Root</c> (itself <c>.slmops/artifacts</c> by default).
    /// </summary>
    public string? WorkRoot { get; set; }
}
