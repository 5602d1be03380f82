using SlmOps.Artifacts;
using SlmOps.Contracts.Workers;

namespace SlmOps.Worker.Runs;

/// <summary>
/// What a handler gets on the training thread: the claimed assignment (typed spec, input addresses), its local
/// folders, the artifact cache and client, and sinks for progress, metrics and log lines (sent with the next
/// heartbeat). Inputs are fetched through <see cref="Cache"/>; outputs are uploaded through <see cref="Artifacts"/>.
/// </summary>
public sealed class RunContext
{
    public required RunAssignment Assignment { get; init; }
    public required RunFolders Folders { get; init; }
    public required ArtifactCache Cache { get; init; }
    public required ArtifactClient Artifacts { get; init; }
    public required CancellationToken Cancellation { get; init; }

    /// <summary>(step, total steps, loss, tokens/s, learning rate).</summary>
    public Action<long, long, double?, double?, double?> Report { get; init; } = static (_, _, _, _, _) => { };

    /// <summary>Any other metric point (key, step, value).</summary>
    public Action<string, long, double> Metric { get; init; } = static (_, _, _) => { };

    /// <summary>A run event line (level "info" / "warning" / "error", message).</summary>
    public Action<string, string> Log { get; init; } = static (_, _) => { };

    /// <summary>
    /// Sends the points reported so far now, on the calling thread (before a checkpoint is written), and waits until they
    /// are stored however long the web host is away; throws OperationCanceledException if the run is cancelled or lost meanwhile.
    /// </summary>
    public Action FlushMetrics { get; init; } = static () => { };

    /// <summary>A mid-run training checkpoint is complete in <see cref="RunFolders.WorkDir"/> at this step.</summary>
    public Action<long> CheckpointSaved { get; init; } = static _ => { };

    /// <summary>Set when this worker runs one rank of a gang spread over workers (the assignment's <c>Gang</c>).</summary>
    public GangLink? Gang { get; init; }

    public Guid RunId => Assignment.RunId;

    /// <summary>Fetches a folder input on the training thread; held until the run ends.</summary>
    public string Folder(string manifestSha256) => Hold(Cache.FolderAsync(manifestSha256, Cancellation).GetAwaiter().GetResult());

    public string File(string sha256) => Hold(Cache.FileAsync(sha256, Cancellation).GetAwaiter().GetResult());

    /// <summary>Uploads a folder Modeling wrote (see <see cref="ArtifactClient.UploadFolderAsync"/>), on the training thread.</summary>
    public (string ManifestSha256, IReadOnlyDictionary<string, string> Files) UploadFolder(string folder) =>
        Artifacts.UploadFolderAsync(folder, Cancellation).GetAwaiter().GetResult();

    /// <summary>The prepared token files the claim named, fetched.</summary>
    public string PreparedData() =>
        Folder((Assignment.Inputs.Prepared ?? throw new InvalidOperationException("The claim named no prepared dataset.")).ManifestSha256);

    /// <summary>The frozen LLM the claim named.</summary>
    public ModelRef BaseModel => Assignment.Inputs.BaseModel ?? throw new InvalidOperationException("The claim named no base model.");

    private readonly List<CacheLease> _leases = [];

    private string Hold(CacheLease lease)
    {
        lock (_leases) _leases.Add(lease);
        return lease.Path;
    }

    /// <summary>Lets the cache evict this run's inputs again.</summary>
    public void ReleaseInputs()
    {
        lock (_leases)
        {
            foreach (var lease in _leases) lease.Dispose();
            _leases.Clear();
        }
    }
}
