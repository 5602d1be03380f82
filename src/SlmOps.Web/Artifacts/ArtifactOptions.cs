namespace SlmOps.Web.Artifacts;

/// <summary>Settings of the artifact service under <c>Artifacts</c> (the store's own <c>Artifacts:Root</c> sits beside them).</summary>
public sealed class ArtifactOptions
{
    public const string SectionName = "Artifacts";
    public const string MaxUploadBytesSetting = "Artifacts:MaxUploadBytes";

    /// <summary>Largest accepted upload; default 4 GiB, room for a full LLM's weights and optimizer state.</summary>
    public long MaxUploadBytes { get; set; } = 4L * 1024 * 1024 * 1024;
}
