namespace SlmOps.Web.Datasets;

/// <summary>Settings under <c>Datasets</c>.</summary>
public sealed class DatasetOptions
{
    public const string SectionName = "Datasets";
    public const string MaxUploadBytesSetting = "Datasets:MaxUploadBytes";

    /// <summary>Largest accepted file; default 100 MB.</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;
}
