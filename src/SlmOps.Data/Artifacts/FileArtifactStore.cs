using System.Security.Cryptography;

namespace SlmOps.Data.Artifacts;

/// <summary>
/// The artifact store on a local or shared directory: <c>root/ab/cd/abcd…</c>. A file is written to a temporary
/// name in the same directory tree and renamed into place, so readers never see a partial file and two
/// writers of the same bytes both succeed.
/// </summary>
public sealed class FileArtifactStore : IArtifactStore
{
    private readonly string _root;

    public FileArtifactStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(_root, "tmp"));
    }

    public string Root => _root;

    public async Task<StoredArtifact> PutAsync(Stream content, long? maxBytes = null, CancellationToken cancellation = default)
    {
        var temp = Path.Combine(_root, "tmp", Guid.NewGuid().ToString("N"));
        try
        {
            long size = 0;
            byte[] hash;
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellation)) > 0)
                {
                    size += read;
                    if (maxBytes is { } max && size > max) throw new ArtifactTooLargeException(max);
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
                }
                hash = sha.GetHashAndReset();
            }
            var sha256 = Convert.ToHexStringLower(hash);
            var relative = RelativePathOf(sha256);
            var final = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            if (File.Exists(final)) File.Delete(temp);
            else File.Move(temp, final, overwrite: true);
            return new StoredArtifact(sha256, size, relative);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public async Task<StoredArtifact> PutFileAsync(string path, CancellationToken cancellation = default)
    {
        await using var stream = File.OpenRead(path);
        return await PutAsync(stream, null, cancellation);
    }

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    public string PathOf(string sha256) => Path.Combine(_root, RelativePathOf(sha256));

    public Stream OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path)) throw new FileNotFoundException($"Artifact {sha256} is not in the store at {_root}.", path);
        return File.OpenRead(path);
    }

    public bool Delete(string sha256)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    private static string RelativePathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException($"'{sha256}' is not a SHA-256 hex digest.", nameof(sha256));
        var s = sha256.ToLowerInvariant();
        return Path.Combine(s[..2], s[2..4], s);
    }
}
