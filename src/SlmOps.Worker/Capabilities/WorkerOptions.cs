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

    /// <summary>
    /// How many ranks of one data-parallel run this worker runs itself, as threads. Default: its GPU count on CUDA, 1 on
    /// CPU (the ranks of a CPU worker share its cores). A run whose distributed.worldSize is larger is gang-scheduled
    /// across workers, one rank each.
    /// </summary>
    public int? Ranks { get; set; }

    /// <summary>
    /// The address other workers reach this one at, for a gang's rendezvous store (when it runs rank 0) and its Gloo
    /// connections. The default, 127.0.0.1, only forms gangs of workers on this machine; set it to this machine's address
    /// on the workers' network for gangs across machines.
    /// </summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The cache's bound in bytes (least recently used entries go first); default 20 GiB.</summary>
    public long CacheBytes { get; set; } = 20L << 30;
}
