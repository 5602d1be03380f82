namespace SlmOps.Worker.Runs;

/// <summary>
/// Folders under Artifacts:Root. Single files (tokenizer, weights, manifests) are content-addressed in the
/// artifact store; whole folders that the trainer reads by path are kept beside it: a prepared dataset under
/// prepared/&lt;manifest sha256&gt;, a model under models/&lt;weights sha256&gt;. Training state of a run lives in
/// runs/&lt;run id&gt;/work so a re-queued run resumes on any worker that shares the root.
/// </summary>
public sealed class ArtifactLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string WorkDir(Guid runId) => Path.Combine(Root, "runs", runId.ToString("N"), "work");
    public string OutputDir(Guid runId, int attempt) => Path.Combine(Root, "runs", runId.ToString("N"), $"output-{attempt}");
    public string PreparedDir(string manifestSha256) => Path.Combine(Root, "prepared", manifestSha256);
    public string ModelDir(string weightsSha256) => Path.Combine(Root, "models", weightsSha256);

    /// <summary>Moves a finished folder to its content-named place; an identical folder already there wins.</summary>
    public static string Publish(string source, string destination)
    {
        if (Directory.Exists(destination)) { Directory.Delete(source, recursive: true); return destination; }
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        Directory.Move(source, destination);
        return destination;
    }
}
