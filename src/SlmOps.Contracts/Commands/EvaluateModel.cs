namespace SlmOps.Contracts.Commands;

/// <summary>Evaluate a base model version or SLM version on a dataset version.</summary>
public sealed record EvaluateModel(Guid RunId, int Attempt) : IRunCommand;
