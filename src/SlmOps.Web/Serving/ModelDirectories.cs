namespace SlmOps.Web.Serving;

/// <summary>Where the worker publishes model folders: Artifacts:Root/models/&lt;sha256 of the weights file&gt;.</summary>
public sealed class ModelDirectories(string artifactsRoot)
{
    public string Root { get; } = Path.GetFullPath(artifactsRoot);

    public string Of(string weightsSha256) => Path.Combine(Root, "models", weightsSha256);
}
