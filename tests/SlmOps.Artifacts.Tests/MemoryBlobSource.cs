using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SlmOps.Artifacts.Tests;

/// <summary>An artifact service in memory: counts fetches, and can be told to serve wrong bytes for a blob.</summary>
internal sealed class MemoryBlobSource : IBlobSource
{
    private readonly Dictionary<string, byte[]> _blobs = [];

    public Dictionary<string, int> Fetches { get; } = [];
    public HashSet<string> Corrupt { get; } = [];

    public string Add(string text) => Add(Encoding.UTF8.GetBytes(text));

    public string Add(byte[] bytes)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        _blobs[sha] = bytes;
        return sha;
    }

    /// <summary>A folder as a worker uploads one: its files, then the manifest listing them.</summary>
    public (string Manifest, Dictionary<string, string> Files) AddFolder(IReadOnlyDictionary<string, string> files)
    {
        var shas = files.ToDictionary(f => f.Key, f => Add(f.Value));
        return (Add(JsonSerializer.Serialize(new { files = shas })), shas);
    }

    public async Task DownloadAsync(string sha256, string destination, CancellationToken cancellation)
    {
        Fetches[sha256] = Fetches.GetValueOrDefault(sha256) + 1;
        if (!_blobs.TryGetValue(sha256, out var bytes)) throw new FileNotFoundException($"no blob {sha256}");
        var served = Corrupt.Contains(sha256) ? [.. bytes, (byte)'!'] : bytes;
        if (Convert.ToHexStringLower(SHA256.HashData(served)) != sha256)
            throw new InvalidDataException($"blob {sha256} arrived damaged"); // what ArtifactClient does on a hash mismatch
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        await File.WriteAllBytesAsync(destination, served, cancellation);
    }
}
