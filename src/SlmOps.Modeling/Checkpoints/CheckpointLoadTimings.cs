namespace SlmOps.Modeling.Checkpoints;

/// <summary>
/// Where a checkpoint load spent its time, filled in when a caller passes one (the serving benchmark prints it).
/// All in milliseconds.
/// </summary>
public sealed class CheckpointLoadTimings
{
    /// <summary>Reading every file once and checking its sha256 against the manifest (the weights are hashed as they are read).</summary>
    public double ReadAndVerifyMs { get; set; }
    /// <summary>config.json parsed and checked against the LLM.</summary>
    public double ConfigMs { get; set; }
    /// <summary>Building the module (allocating its parameters).</summary>
    public double ConstructMs { get; set; }
    /// <summary>Copying the verified bytes into the parameters.</summary>
    public double CopyMs { get; set; }

    public double TotalMs => ReadAndVerifyMs + ConfigMs + ConstructMs + CopyMs;

    public override string ToString() =>
        $"read+sha256 {ReadAndVerifyMs:F1} ms, config {ConfigMs:F1} ms, construct {ConstructMs:F1} ms, copy into parameters {CopyMs:F1} ms";
}
