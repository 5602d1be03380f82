namespace SlmOps.Worker.Capabilities;

/// <summary>Settings of the <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>A name for logs and run records; defaults to the machine name.</summary>
    public string? Name { get; set; }

    /// <summary>Concurrent runs on a CPU worker. A CUDA worker runs one per GPU and ignores this.</summary>
    public int Slots { get; set; } = 1;

    /// <summary>The web host's base URL (the tracking service and the artifact service), e.g. http://10.0.0.5:5080.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>A worker key (role worker) made by <c>SlmOps.Web create-worker-key</c>. Keep it out of files in the repository.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Local folder for the verified artifact cache and run work folders; default .slmops/worker-cache.</summary>
    public string? CacheRoot { get; set; }

    /// <summary>Seconds between presence reports to the web host (idle or busy); keep it well under the web host's Workers:OnlineWithinSeconds (60).</summary>
    public int PresenceSeconds { get; set; } = 15;

    /// <summary>The cache's bound in bytes (least recently used entries go first); default 20 GiB.</summary>
    public long CacheBytes { get; set; } = 20L << 30;
}
