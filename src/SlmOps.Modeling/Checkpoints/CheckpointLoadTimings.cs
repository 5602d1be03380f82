namespace SlmOps.Modeling.Checkpoints;

/// <summary>
/// Where a checkpoint load spent its time, filled in when a caller passes one (the serving benchmark prints it).
/// All in milliseconds.
/// </summary>
public sealed class CheckpointLoadTimings
{
    /// <summary>Checking every file but the weights (config, tokenizer) against the manifest.</summary>
    public double VerifyFilesMs { get; set; }
    /// <summary>config.json parsed (and, for a follower, checked against the LLM).</summary>
    public double ConfigMs { get; set; }
    /// <summary>Building the module (allocating its parameters).</summary>
    public double ConstructMs { get; set; }
    /// <summary>The one pass over model.safetensors: read, sha256 and copy into the parameters, chunk by chunk, then the hash checks.</summary>
    public double WeightsMs { get; set; }

    public double TotalMs => VerifyFilesMs + ConfigMs + ConstructMs + WeightsMs;

    public override string ToString() =>
        $"verify files {VerifyFilesMs:F1} ms, config {ConfigMs:F1} ms, construct {ConstructMs:F1} ms, weights read+sha256+copy {WeightsMs:F1} ms";
}
