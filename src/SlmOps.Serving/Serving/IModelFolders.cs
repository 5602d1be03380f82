using SlmOps.Artifacts;

namespace SlmOps.Serving;

/// <summary>Where serving finds the folder of a registered model, by the sha256 of its weights file.</summary>
public interface IModelFolders
{
    /// <summary>The folder, kept on disk until the lease is disposed.</summary>
    CacheLease Open(string weightsSha256);
}

/// <summary>Folders published as Root/models/&lt;weights sha&gt; (before migration 0005, and by the serving benchmark).</summary>
public sealed class PublishedModelFolders(string root) : IModelFolders
{
    public CacheLease Open(string weightsSha256) => new(ArtifactLayout.LegacyModelDir(root, weightsSha256), static () => { });
}
