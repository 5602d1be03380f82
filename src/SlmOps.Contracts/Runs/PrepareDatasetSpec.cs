namespace SlmOps.Contracts.Runs;

/// <summary>The config of a PrepareDataset run: tokenize a dataset version into train/val token files.</summary>
public sealed record PrepareDatasetSpec
{
    public long DatasetVersionId { get; init; }

    /// <summary>"char-pair" (the paper) or "byte-bpe".</summary>
    public string TokenizerKind { get; init; } = "char-pair";

    /// <summary>byte-bpe only.</summary>
    public int? BpeVocabSize { get; init; }

    /// <summary>Reuse a base model version's tokenizer (task data an SLM will read with that LLM's tokenizer).</summary>
    public long? TokenizerFromBaseModelVersionId { get; init; }

    public double ValidationFraction { get; init; } = 0.1;
}
