namespace SlmOps.Artifacts;

/// <summary>
/// The one definition of where artifacts live on disk. Today: content-addressed blobs (the store's own layout) and
/// folders addressed by their manifest (<see cref="FolderManifest"/>), fetched into caches. Before migration 0005 the
/// worker published whole folders beside the store; those paths are read (never written) for versions of that time.
/// </summary>
public static class ArtifactLayout
{
    /// <summary>A model folder published before 0005: Artifacts:Root/models/&lt;sha256 of its weights file&gt;.</summary>
    public static string LegacyModelDir(string artifactsRoot, string weightsSha256) => Path.Combine(Path.GetFullPath(artifactsRoot), "models", weightsSha256);

    /// <summary>Prepared token files published before 0005: Artifacts:Root/prepared/&lt;manifest sha256&gt;.</summary>
    public static string LegacyPreparedDir(string artifactsRoot, string manifestSha256) => Path.Combine(Path.GetFullPath(artifactsRoot), "prepared", manifestSha256);

    /// <summary>Where a cache keeps a blob and a folder.</summary>
    public static string CachedBlob(string cacheRoot, string sha256) => Path.Combine(cacheRoot, "blobs", sha256);
    public static string CachedFolder(string cacheRoot, string manifestSha256) => Path.Combine(cacheRoot, "folders", manifestSha256);
}
