using SlmOps.Modeling.Data;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Modeling.Jobs;

public sealed record DatasetPreparationSpec
{
    /// <summary>"char-pair" (the paper) or "byte-bpe".</summary>
    public string TokenizerKind { get; init; } = CharPairTokenizer.KindName;
    /// <summary>byte-bpe only: target vocabulary size.</summary>
    public int BpeVocabSize { get; init; } = 4096;
    public CleaningOptions Cleaning { get; init; } = CleaningOptions.Default;
    /// <summary>Share of documents (taken from the end, so the split is deterministic) held out for validation.</summary>
    public double ValidationFraction { get; init; } = 0.1;
}

public sealed record PreparedDataset(string TokenizerPath, string TokenizerHash, int VocabSize, string TrainPath, long TrainTokens, string ValPath, long ValTokens);

/// <summary>PrepareDataset: fit (or reuse) a tokenizer and write train.bin / val.bin token files.</summary>
public static class DatasetPreparation
{
    /// <param name="existingTokenizerPath">Reuse this tokenizer (required for task data that an SLM will read with an LLM's tokenizer).</param>
    public static PreparedDataset Prepare(IReadOnlyList<string> documents, string outputDir, DatasetPreparationSpec spec, string? existingTokenizerPath = null)
    {
        if (documents.Count < 2) throw new ArgumentException("A dataset needs at least two documents (one for validation).", nameof(documents));
        var valCount = Math.Clamp((int)Math.Round(documents.Count * spec.ValidationFraction), 1, documents.Count - 1);
        var train = documents.Take(documents.Count - valCount).ToList();
        var val = documents.Skip(documents.Count - valCount).ToList();

        var tokenizer = existingTokenizerPath is not null
            ? TokenizerArtifact.Load(existingTokenizerPath)
            : spec.TokenizerKind switch
            {
                CharPairTokenizer.KindName => CharPairTokenizer.Train(train, spec.Cleaning),
                ByteBpeTokenizer.KindName => ByteBpeTokenizer.Train(train, spec.BpeVocabSize),
                _ => throw new ArgumentException($"Unknown tokenizer kind '{spec.TokenizerKind}'. Use '{CharPairTokenizer.KindName}' or '{ByteBpeTokenizer.KindName}'."),
            };
        Directory.CreateDirectory(outputDir);
        var tokenizerPath = Path.Combine(outputDir, "tokenizer.json");
        TokenizerArtifact.Save(tokenizer, tokenizerPath);
        var trainPath = Path.Combine(outputDir, "train.bin");
        var valPath = Path.Combine(outputDir, "val.bin");
        var trainInfo = TokenFile.Write(trainPath, tokenizer, train);
        var valInfo = TokenFile.Write(valPath, tokenizer, val);
        return new PreparedDataset(tokenizerPath, tokenizer.Hash, tokenizer.VocabSize, trainPath, trainInfo.Count, valPath, valInfo.Count);
    }
}
