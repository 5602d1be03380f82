namespace SlmOps.Contracts.Commands;

/// <summary>Tokenize a dataset version into token files (and fit a tokenizer when none is given).</summary>
public sealed record PrepareDataset(Guid RunId, int Attempt, long DatasetVersionId) : IRunCommand;
