using System.Text.Json;

namespace SlmOps.Contracts.Workers;

/// <summary>
/// How an attempt ended. A success carries what to register (exactly one output, of the run's kind); every blob it
/// names is already in the artifact store. The web host registers it in one transaction; the same outcome sent
/// again (a retry after a lost answer) registers nothing twice and gets the same answer.
/// </summary>
public sealed record RunOutcome
{
    public required int Attempt { get; init; }
    public required string Worker { get; init; }
    public required RunStatus Status { get; init; }
    public string? Error { get; init; }

    /// <summary>
    /// A failure another attempt may not repeat: a gang lost a rank (its collective failed). The web host re-queues the
    /// run (resuming from its checkpoint) while attempts are left, or releases a gang that never formed without using one.
    /// </summary>
    public bool Retryable { get; init; }

    public PreparedOutput? Prepared { get; init; }
    public ModelOutput? Model { get; init; }
    public EvaluationOutput? Evaluation { get; init; }
}

/// <summary>Prepare: the token files' folder manifest, the tokenizer, and counts.</summary>
public sealed record PreparedOutput(string ManifestSha256, string TokenizerSha256, long TokenCount, int DocumentCount, IReadOnlyDictionary<string, string> Files);

/// <summary>
/// Pretrain or fine-tune: the model folder. <see cref="Config"/> is the architecture as Modeling writes it (for a
/// fine-tune: method, SLM config and LoRA rank); <see cref="Files"/> maps each file of the folder to its sha256.
/// </summary>
public sealed record ModelOutput
{
    public required string ManifestSha256 { get; init; }
    public required string WeightsSha256 { get; init; }
    public required string TokenizerSha256 { get; init; }
    public required IReadOnlyDictionary<string, string> Files { get; init; }
    public required JsonElement Config { get; init; }
    public required string Architecture { get; init; }
    public required long ParameterCount { get; init; }
    public required EvaluationMetrics Evaluation { get; init; }
}

/// <summary>Evaluate: the loss on the dataset version's val split.</summary>
public sealed record EvaluationOutput(double ValLoss, double Perplexity);

/// <summary>The web host's answer: what the run registered (e.g. "slm_version" → "12"), as RunCompleted carries it.</summary>
public sealed record RunOutcomeResponse(RunStatus Status, IReadOnlyDictionary<string, string> Outputs);
