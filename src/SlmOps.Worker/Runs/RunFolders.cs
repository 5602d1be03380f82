namespace SlmOps.Worker.Runs;

/// <summary>
/// This worker's local folders for one run, under Worker:CacheRoot/runs/&lt;run id&gt;: <c>work</c> holds the
/// resumable training checkpoint (also uploaded, so another worker can resume), <c>output-&lt;attempt&gt;</c> the
/// finished model or prepared files before they are uploaded, <c>uploads</c> checkpoint snapshots being uploaded.
/// Inputs are not here: they come from the artifact cache.
/// </summary>
public sealed record RunFolders(string Root, Guid RunId, int Attempt)
{
    public string RunDir => Path.Combine(Path.GetFullPath(Root), "runs", RunId.ToString("N"));
    public string WorkDir => Path.Combine(RunDir, "work");
    public string OutputDir => Path.Combine(RunDir, $"output-{Attempt}");
    public string UploadsDir => Path.Combine(RunDir, "uploads");

    /// <summary>A fresh, empty output folder for this attempt.</summary>
    public string CleanOutputDir()
    {
        if (Directory.Exists(OutputDir)) Directory.Delete(OutputDir, recursive: true);
        return OutputDir;
    }

    /// <summary>Removes what a finished run leaves locally (its checkpoint is in the artifact store if it ever needs it).</summary>
    public void DeleteAll()
    {
        try { if (Directory.Exists(RunDir)) Directory.Delete(RunDir, recursive: true); }
        catch (IOException) { } // a file still open: the next run's cleanup or an operator removes it
    }
}
