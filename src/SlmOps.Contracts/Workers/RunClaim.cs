using SlmOps.Contracts.Runs;

namespace SlmOps.Contracts.Workers;

/// <summary>
/// A worker asks to start <paramref name="Attempt"/> of a run (the attempt its command names). <paramref name="Ranks"/>
/// is how many ranks of a data-parallel run it runs itself (its GPUs on CUDA, Worker:Ranks on CPU); a run with a larger
/// world size is gang-scheduled across workers.
/// </summary>
public sealed record RunClaimRequest(int Attempt, string Worker, string Device, int Slots, int Ranks = 1);

/// <summary>
/// The web host's answer to a claim. <see cref="Claimed"/> is false for a duplicate or stale delivery, a cancelled
/// run, or inputs that do not resolve (then the run is already recorded as Failed and <see cref="Reason"/> says why).
/// </summary>
public sealed record RunClaimResponse(bool Claimed, string? Reason, RunAssignment? Assignment);

/// <summary>
/// Everything a worker needs to execute a run, resolved by the web host from PostgreSQL: the typed spec (parsed once,
/// from runs.config) and the content addresses of every input, to fetch from the artifact service.
/// </summary>
public sealed record RunAssignment
{
    public required Guid RunId { get; init; }
    public required RunKind Kind { get; init; }
    public required int Attempt { get; init; }
    public required string CreatedBy { get; init; }
    public required RunSpec Spec { get; init; }
    public RunInputs Inputs { get; init; } = new();

    /// <summary>The last checkpoint an earlier attempt uploaded; the run resumes from it.</summary>
    public CheckpointRef? Checkpoint { get; init; }

    /// <summary>Set when this worker runs one rank of a gang spread over several workers; null when it runs the whole run.</summary>
    public GangAssignment? Gang { get; init; }
}

/// <summary>The spec of a run, exactly one of the four set (the one of its kind).</summary>
public sealed record RunSpec
{
    public PrepareDatasetSpec? Prepare { get; init; }
    public PretrainSpec? Pretrain { get; init; }
    public FineTuneSpec? FineTune { get; init; }
    public EvaluateSpec? Evaluate { get; init; }
}

/// <summary>Content addresses of a run's inputs; which are set depends on the kind.</summary>
public sealed record RunInputs
{
    /// <summary>Prepare: the uploaded dataset file and its format ("text", "jsonl", "csv").</summary>
    public DatasetFileRef? DatasetFile { get; init; }

    /// <summary>Prepare with tokenizerFromBaseModelVersionId: that model's tokenizer.json.</summary>
    public string? TokenizerSha256 { get; init; }

    /// <summary>Pretrain, fine-tune, evaluate: the prepared token files (a folder manifest).</summary>
    public FolderRef? Prepared { get; init; }

    /// <summary>Fine-tune, evaluate: the frozen LLM's model folder.</summary>
    public ModelRef? BaseModel { get; init; }

    /// <summary>Fine-tune with plugin-peft and pluginSmallBaseModelVersionId: the small model's model folder.</summary>
    public ModelRef? PluginSmallModel { get; init; }

    /// <summary>Evaluate of an SLM version: its module folder and method.</summary>
    public ModelRef? Module { get; init; }
}

public sealed record DatasetFileRef(long DatasetVersionId, string Sha256, string Format);

/// <summary>A folder stored as a manifest blob ({"files": {"relative/path": "sha256"}}) plus one blob per file.</summary>
public sealed record FolderRef(long Id, string ManifestSha256);

/// <summary>A model folder; <see cref="WeightsSha256"/> is the hash recorded at registration, checked on every load.</summary>
public sealed record ModelRef(long Id, string ManifestSha256, string WeightsSha256, string? TokenizerSha256, TrainingMethod? Method = null);

public sealed record CheckpointRef(long Step, string ManifestSha256);
