namespace SlmOps.Web.BackgroundJobs;

/// <summary>Settings under <c>Hangfire</c>: whether this host processes jobs, and how often its server polls.</summary>
public sealed class BackgroundJobsOptions
{
    public const string SectionName = "Hangfire";

    /// <summary>The schema Hangfire's storage creates and uses in the SlmOps database.</summary>
    public const string Schema = "hangfire";

    /// <summary>
    /// Runs a Hangfire server (workers, recurring and delayed job schedulers) in this host. Off, the host still
    /// enqueues jobs and serves the dashboard; another host's server processes them.
    /// </summary>
    public bool ServerEnabled { get; set; } = true;

    /// <summary>Jobs this host processes at once.</summary>
    public int WorkerCount { get; set; } = 5;

    /// <summary>How often the server looks for recurring jobs that are due and retries whose delay is over.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest wait of an idle worker before it looks at the queue again; new jobs wake it at once (LISTEN/NOTIFY).
    /// </summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A job whose server died is picked up again after this long.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A distributed lock (a row in <c>hangfire.lock</c>) still there this long after it was taken counts as abandoned and
    /// is taken over. A server whose PostgreSQL connection broke while it held one (a database restart) never deletes
    /// its row, and until then the recurring jobs behind that lock (the sweep above all) do not run: Hangfire.PostgreSql's
    /// default of 10 minutes kept runs of killed workers from being re-queued that long (issue 17's chaos soak). Keep it
    /// above the longest job that holds a lock (a sweep, drain or pruning takes seconds; an MLflow export a few calls).
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait before trying again to register the recurring jobs while PostgreSQL is unreachable.</summary>
    public TimeSpan StartRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
