using System.Security.Cryptography;
using System.Text.Json;

namespace SlmOps.Modeling.Checkpoints;

/// <summary>
/// manifest.json in a checkpoint directory: sha256 of every other file, so a loader can prove that
/// what it reads is what was written (and that a registered LLM has not changed).
/// </summary>
public sealed record Sha256Manifest(IReadOnlyDictionary<string, string> Files)
{
    public const string FileName = "manifest.json";

    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Hashes every file under <paramref name="directory"/> (except the manifest) and writes the manifest.</summary>
    public static Sha256Manifest Write(string directory)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(directory, path).Replace('\\', '/');
            if (rel == FileName) continue;
            files[rel] = HashFile(path);
        }
        var manifest = new Sha256Manifest(files);
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(manifest, ModelingJson.Options));
        return manifest;
    }

    public static Sha256Manifest Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{directory}' has no {FileName}.", path);
        return JsonSerializer.Deserialize<Sha256Manifest>(File.ReadAllText(path), ModelingJson.Options)
            ?? throw new InvalidDataException($"'{path}' is empty.");
    }

    /// <summary>Throws if any listed file is missing or differs from its recorded hash.</summary>
    public static Sha256Manifest Verify(string directory)
    {
        var manifest = Read(directory);
        foreach (var (rel, expected) in manifest.Files)
        {
            var path = Path.Combine(directory, rel);
            if (!File.Exists(path)) throw new InvalidDataException($"Checkpoint '{directory}' lists '{rel}' but the file is missing.");
            var actual = HashFile(path);
            if (actual != expected)
                throw new InvalidDataException($"'{rel}' in '{directory}' has sha256 {actual}, but the manifest records {expected}: the file changed after it was written.");
        }
        return manifest;
    }
}
