using Microsoft.EntityFrameworkCore;
using SlmOps.Artifacts;
using SlmOps.Data;
using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Tracking;

/// <summary>
/// Makes sure a folder a worker will fetch is in the artifact store as a manifest blob plus one blob per file.
/// Versions registered since migration 0005 are; older ones were published as plain folders beside the store
/// (Artifacts:Root/models/&lt;weights sha&gt;, prepared/&lt;manifest sha&gt;): their files are put into the store once and
/// the manifest's address is recorded, so an upgraded installation keeps working with remote workers.
/// </summary>
public sealed class StoredFolders(IArtifactStore store, IConfiguration configuration)
{
    private string LegacyRoot => ArtifactStoreExtensions.Root(configuration);

    public async Task<string> ModelManifestAsync(SlmOpsDbContext db, BaseModelVersion version, CancellationToken ct)
    {
        if (version.ManifestSha256 is { } known) return known;
        var manifest = await FromLegacyFolderAsync(db, ArtifactLayout.LegacyModelDir(LegacyRoot, version.WeightsSha256), $"base model version {version.Id}", ct);
        await db.BaseModelVersions.Where(v => v.Id == version.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.ManifestSha256, manifest), ct);
        return manifest;
    }

    public async Task<string> ModuleManifestAsync(SlmOpsDbContext db, SlmVersion version, CancellationToken ct)
    {
        if (version.ManifestSha256 is { } known) return known;
        var manifest = await FromLegacyFolderAsync(db, ArtifactLayout.LegacyModelDir(LegacyRoot, version.WeightsSha256), $"SLM version {version.Id}", ct);
        await db.SlmVersions.Where(v => v.Id == version.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.ManifestSha256, manifest), ct);
        return manifest;
    }

    /// <summary>A prepared dataset is addressed by its manifest already; its token files may still be only in the legacy folder.</summary>
    public async Task<string> PreparedAsync(SlmOpsDbContext db, string manifestSha256, CancellationToken ct)
    {
        if (!store.Exists(manifestSha256))
            throw new RunInputException($"The prepared files of manifest {manifestSha256} are missing from the artifact store; prepare the dataset version again.");
        var manifest = FolderManifest.Parse(store.PathOf(manifestSha256));
        if (manifest.Files.Values.All(store.Exists)) return manifestSha256;
        await FromLegacyFolderAsync(db, ArtifactLayout.LegacyPreparedDir(LegacyRoot, manifestSha256), $"prepared dataset {manifestSha256}", ct);
        return manifestSha256;
    }

    private async Task<string> FromLegacyFolderAsync(SlmOpsDbContext db, string folder, string what, CancellationToken ct)
    {
        var manifestPath = Path.Combine(folder, FolderManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new RunInputException($"The files of {what} are not in the artifact store (and no folder from before 0005 is at {folder}).");
        foreach (var (relative, sha) in FolderManifest.Parse(manifestPath).Files)
        {
            if (store.Exists(sha)) continue;
            var stored = await store.PutFileAsync(Path.Combine(folder, relative), ct);
            if (stored.Sha256 != sha) throw new RunInputException($"'{relative}' of {what} changed after it was written (sha256 {stored.Sha256}, manifest {sha}).");
        }
        var manifest = await store.PutFileAsync(manifestPath, ct);
        await StoredBlobs.EnsureAsync(db, store, [manifest.Sha256], ct);
        return manifest.Sha256;
    }
}
