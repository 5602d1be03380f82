namespace SlmOps.Contracts;

/// <summary>What a run does. Stored as text in runs.kind; the names are part of the schema.</summary>
public enum RunKind
{
    PrepareDataset,
    TrainBaseModel,
    TrainTaskModel,
    Evaluate,

    /// <summary>A parent run that submits child runs (trials) over a search space; no worker runs it (the web host's scheduler does).</summary>
    Sweep,
}
