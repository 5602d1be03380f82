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

    public Task<StoredArtifact> PutAsync(Stream content, long? maxBytes = null, CancellationToken cancellation = default) =>
        PutAsync(content, maxBytes, expectedSha256: null, cancellation);

    public async Task<StoredArtifact> PutAsync(Stream content, long? maxBytes, string? expectedSha256, CancellationToken cancellation)
    {
        var expected = expectedSha256 is null ? null : Normalized(expectedSha256);
        var temp = Path.Combine(_root, "tmp", Guid.NewGuid().ToString("N"));
        try
        {
            var (sha256, size) = await WriteHashedAsync(content, temp, maxBytes, cancellation);
            if (expected is not null && expected != sha256) throw new ArtifactHashMismatchException(expected, sha256, size);
            var relative = RelativePathOf(sha256);
            var final = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            return new StoredArtifact(sha256, size, relative, Created: TryMoveIntoPlace(temp, final));
        }
        finally
        {
            // Whatever stopped the copy (limit, wrong hash, a client gone mid-body), no partial file stays behind.
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static async Task<(string Sha256, long Size)> WriteHashedAsync(Stream content, string path, long? maxBytes, CancellationToken cancellation)
    {
        long size = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellation)) > 0)
        {
            size += read;
            if (maxBytes is { } max && size > max) throw new ArtifactTooLargeException(max);
            sha.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), size);
    }

    // Never replaces a stored file: it holds the same bytes, and a reader may have it open. Without overwrite the
    // move fails when another writer of the same bytes got there first, so exactly one put reports Created.
    private static bool TryMoveIntoPlace(string temp, string final)
    {
        if (File.Exists(final)) return false;
        try
        {
            File.Move(temp, final, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(final))
        {
            return false;
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
        var s = Normalized(sha256);
        return Path.Combine(s[..2], s[2..4], s);
    }

    private static string Normalized(string sha256) =>
        sha256.Length == 64 && sha256.All(Uri.IsHexDigit)
            ? sha256.ToLowerInvariant()
            : throw new ArgumentException($"'{sha256}' is not a SHA-256 hex digest.", nameof(sha256));
}
