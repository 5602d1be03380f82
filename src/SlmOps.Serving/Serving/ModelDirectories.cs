using Npgsql;
using SlmOps.Artifacts;

namespace SlmOps.Serving;

/// <summary>
/// Where serving reads a registered model folder: fetched through the artifact cache by the folder's manifest (from
/// this host's artifact store, or from another web host's artifact service when Serving:ArtifactsUrl is set), so a
/// web instance never needs the workers' disk. A version registered before migration 0005 (no manifest recorded)
/// is read from the folder the worker of that time published beside the store (Artifacts:Root/models/&lt;weights sha&gt;).
/// </summary>
public sealed class ModelDirectories(string artifactsRoot, ArtifactCache cache, NpgsqlDataSource database) : IModelFolders
{
    private readonly PublishedModelFolders _published = new(artifactsRoot);

    /// <summary>
    /// The model's folder, held until the lease is disposed: it is needed while the model loads; afterwards the model
    /// lives in memory and the cache may evict the files.
    /// </summary>
    public CacheLease Open(string weightsSha256)
    {
        var manifest = ManifestOf(weightsSha256);
        return manifest is null
            ? _published.Open(weightsSha256)
            : cache.FolderAsync(manifest, CancellationToken.None).GetAwaiter().GetResult();
    }

    private string? ManifestOf(string weightsSha256)
    {
        using var command = database.CreateCommand("""
            SELECT manifest_sha256 FROM base_model_versions WHERE weights_sha256 = $1 AND manifest_sha256 IS NOT NULL
            UNION ALL
            SELECT manifest_sha256 FROM slm_versions WHERE weights_sha256 = $1 AND manifest_sha256 IS NOT NULL
            LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = weightsSha256 });
        return command.ExecuteScalar() as string;
    }
}
