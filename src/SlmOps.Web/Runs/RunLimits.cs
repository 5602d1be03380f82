namespace SlmOps.Web.Runs;

/// <summary>
/// Settings under <c>Runs:Limits</c>: the largest training settings a submitted spec may ask for. The defaults are
/// far above what the presets use (the largest, gpt-small, has a 1,024-token block) and refuse only the absurd.
/// </summary>
public sealed class RunLimits
{
    public const string SectionName = "Runs:Limits";

    public int MaxSteps { get; set; } = 1_000_000;
    public int MaxBatchSize { get; set; } = 4096;
    public int MaxBlockSize { get; set; } = 8192;
    public double MaxLearningRate { get; set; } = 10;

    /// <summary>Data-parallel runs: most ranks a spec's distributed.worldSize may ask for.</summary>
    public int MaxWorldSize { get; set; } = 8;

    /// <summary>Evaluate runs: most batches of the val split scored.</summary>
    public int MaxEvaluationBatches { get; set; } = 100_000;

    /// <summary>Run names: free text shown in lists and pages.</summary>
    public int MaxNameLength { get; set; } = InputText.MaxNameLength;

    /// <summary>"(Runs:Limits:MaxSteps)": where an administrator raises a limit.</summary>
    public static string Setting(string name) => $"{SectionName}:{name}";
}
