namespace SlmOps.Contracts.Commands;

/// <summary>Pretrain an LLM; the run's config (jsonb) holds architecture and training parameters.</summary>
public sealed record TrainBaseModel(Guid RunId, int Attempt) : IRunCommand;
