namespace SlmOps.Contracts;

/// <summary>What a run does. Stored as text in runs.kind; the names are part of the schema.</summary>
public enum RunKind
{
    PrepareDataset,
    TrainBaseModel,
    TrainTaskModel,
    Evaluate,
}
