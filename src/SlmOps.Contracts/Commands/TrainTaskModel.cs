namespace SlmOps.Contracts.Commands;

/// <summary>Train a task SLM (or a baseline) against a frozen base model version.</summary>
public sealed record TrainTaskModel(Guid RunId, int Attempt) : IRunCommand;
