using System.Collections.Concurrent;

namespace SlmOps.Artifacts;

/// <summary>
/// A local, size-bounded cache of blobs and folders fetched from the artifact service: <c>root/blobs/&lt;sha&gt;</c>
/// and <c>root/folders/&lt;manifest sha&gt;/</c> (the manifest plus its files, laid out as Modeling reads them).
/// Every entry is verified by sha256 when fetched and again the first time this process uses it (a file damaged
/// on disk is detected, deleted and fetched again). When the entries exceed <see cref="MaxBytes"/> the least
/// recently used ones that no caller holds a lease on are deleted.
/// </summary>
public sealed class ArtifactCache
{
    private const string CompleteMarker = ".complete";
    private readonly IBlobSource _client;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, int> _leases = new();
    private readonly ConcurrentDictionary<string, (long Size, DateTime Written)> _verified = new();
    private readonly Lock _evictGate = new();

    public ArtifactCache(IBlobSource client, string root, long maxBytes)
    {
        _client = client;
        Root = Path.GetFullPath(root);
        MaxBytes = maxBytes;
        Directory.CreateDirectory(Path.Combine(Root, "blobs"));
        Directory.CreateDirectory(Path.Combine(Root, "folders"));
    }

    public string Root { get; }
    public long MaxBytes { get; }

    /// <summary>A verified local copy of one blob, held (not evicted) until the lease is disposed.</summary>
    public Task<CacheLease> FileAsync(string sha256, CancellationToken cancellation) =>
        AcquireAsync(Sha256Hex.Require(sha256, "Blob"), ArtifactLayout.CachedBlob(Root, sha256.ToLowerInvariant()), isFolder: false, cancellation);

    /// <summary>A verified local copy of a folder, addressed by its manifest's sha256.</summary>
    public Task<CacheLease> FolderAsync(string manifestSha256, CancellationToken cancellation) =>
        AcquireAsync(Sha256Hex.Require(manifestSha256, "Folder manifest"), ArtifactLayout.CachedFolder(Root, manifestSha256.ToLowerInvariant()), isFolder: true, cancellation);

    private async Task<CacheLease> AcquireAsync(string sha256, string path, bool isFolder, CancellationToken cancellation)
    {
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellation);
        try
        {
            _leases.AddOrUpdate(path, 1, (_, n) => n + 1);
            var lease = new CacheLease(path, () => _leases.AddOrUpdate(path, 0, (_, n) => n - 1));
            try
            {
                if (!IsIntact(sha256, path, isFolder))
                {
                    Remove(path);
                    if (isFolder) await FetchFolderAsync(sha256, path, cancellation);
                    else await _client.DownloadAsync(sha256, path, cancellation);
                    Remember(path, isFolder);
                }
                Touch(path, isFolder);
            }
            catch
            {
                lease.Dispose();
                throw;
            }
            EvictOverLimit();
            return lease;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Present and, the first time this process sees it (or after it changed on disk), re-hashed.</summary>
    private bool IsIntact(string sha256, string path, bool isFolder)
    {
        var marker = isFolder ? Path.Combine(path, CompleteMarker) : path;
        if (!File.Exists(marker)) return false;
        if (_verified.TryGetValue(path, out var seen) && seen == Stamp(path, isFolder)) return true;
        var intact = isFolder ? FolderMatches(sha256, path) : Sha256Hex.OfFile(path) == sha256;
        if (intact) Remember(path, isFolder);
        return intact;
    }

    private static bool FolderMatches(string manifestSha256, string folder)
    {
        var manifestPath = Path.Combine(folder, FolderManifest.FileName);
        if (!File.Exists(manifestPath) || Sha256Hex.OfFile(manifestPath) != manifestSha256) return false;
        foreach (var (relative, sha) in FolderManifest.Parse(manifestPath).Files)
        {
            var file = Path.Combine(folder, relative);
            if (!File.Exists(file) || Sha256Hex.OfFile(file) != sha) return false;
        }
        return true;
    }

    private async Task FetchFolderAsync(string manifestSha256, string folder, CancellationToken cancellation)
    {
        var staging = folder + ".fetching";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var manifestPath = Path.Combine(staging, FolderManifest.FileName);
        await _client.DownloadAsync(manifestSha256, manifestPath, cancellation);
        foreach (var (relative, sha) in FolderManifest.Parse(manifestPath).Files)
            await _client.DownloadAsync(sha, Path.Combine(staging, relative), cancellation);
        Directory.Move(staging, folder);
        await File.WriteAllTextAsync(Path.Combine(folder, CompleteMarker), manifestSha256, cancellation);
    }

    private void Remember(string path, bool isFolder) => _verified[path] = Stamp(path, isFolder);

    /// <summary>Size and newest write time: a file changed after verification shows up here.</summary>
    private static (long, DateTime) Stamp(string path, bool isFolder)
    {
        if (!isFolder) { var info = new FileInfo(path); return (info.Length, info.LastWriteTimeUtc); }
        var files = new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.Name != CompleteMarker).ToList();
        return (files.Sum(f => f.Length), files.Count == 0 ? default : files.Max(f => f.LastWriteTimeUtc));
    }

    /// <summary>Last use, for LRU order: the access time of the marker (set explicitly; mounts may not track atime).</summary>
    private static void Touch(string path, bool isFolder) =>
        File.SetLastAccessTimeUtc(isFolder ? Path.Combine(path, CompleteMarker) : path, DateTime.UtcNow);

    private void Remove(string path)
    {
        _verified.TryRemove(path, out _);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>Deletes least recently used entries nobody holds until the cache fits; held entries are never deleted.</summary>
    public void EvictOverLimit()
    {
        lock (_evictGate)
        {
            var entries = Entries().ToList();
            var total = entries.Sum(e => e.Bytes);
            foreach (var entry in entries.OrderBy(e => e.LastUse))
            {
                if (total <= MaxBytes) break;
                if (_leases.TryGetValue(entry.Path, out var held) && held > 0) continue;
                try { Remove(entry.Path); total -= entry.Bytes; }
                catch (IOException) { } // in use by another process: try the next one
            }
        }
    }

    public long SizeBytes => Entries().Sum(e => e.Bytes);

    private IEnumerable<(string Path, long Bytes, DateTime LastUse)> Entries()
    {
        foreach (var blob in new DirectoryInfo(Path.Combine(Root, "blobs")).EnumerateFiles().Where(f => !f.Name.EndsWith(".part", StringComparison.Ordinal)))
            yield return (blob.FullName, blob.Length, blob.LastAccessTimeUtc);
        foreach (var folder in new DirectoryInfo(Path.Combine(Root, "folders")).EnumerateDirectories())
        {
            var marker = new FileInfo(Path.Combine(folder.FullName, CompleteMarker));
            if (!marker.Exists) continue;
            yield return (folder.FullName, folder.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length), marker.LastAccessTimeUtc);
        }
    }
}

/// <summary>A cache entry in use: its local path stays until <see cref="Dispose"/>.</summary>
public sealed class CacheLease(string path, Action release) : IDisposable
{
    private int _released;
    public string Path { get; } = path;
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) release();
    }
}
