using SlmOps.Artifacts;
using SlmOps.Data.Artifacts;

namespace SlmOps.Serving;

/// <summary>The web host's own artifact store as a cache's source: a copy of the stored file, verified.</summary>
public sealed class StoreBlobSource(IArtifactStore store) : IBlobSource
{
    public async Task DownloadAsync(string sha256, string destination, CancellationToken cancellation)
    {
        if (!store.Exists(sha256)) throw new FileNotFoundException($"Artifact {sha256} is not in this web host's artifact store.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var part = destination + ".part";
        await using (var source = store.OpenRead(sha256))
        await using (var target = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            await source.CopyToAsync(target, 1 << 20, cancellation);
        var actual = await Sha256Hex.OfFileAsync(part, cancellation);
        if (actual != sha256)
        {
            File.Delete(part);
            throw new InvalidDataException($"The stored artifact {sha256} reads back with sha256 {actual}: the store's copy is damaged.");
        }
        File.Move(part, destination, overwrite: true);
    }
}
