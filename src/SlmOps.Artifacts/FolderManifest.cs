using System.Text.Json;

namespace SlmOps.Artifacts;

/// <summary>
/// A folder as content: <c>manifest.json</c> maps each relative path to its sha256 (the format Modeling's
/// Sha256Manifest writes and verifies on load). The manifest is itself a blob, so a folder's address is its
/// manifest's sha256; the folder is fetched file by file, each verified against the manifest.
/// </summary>
public sealed record FolderManifest(IReadOnlyDictionary<string, string> Files)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static FolderManifest Parse(string path)
    {
        var manifest = JsonSerializer.Deserialize<FolderManifest>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"'{path}' is not a folder manifest.");
        foreach (var (relative, sha) in manifest.Files)
        {
            Sha256Hex.Require(sha, $"The manifest entry for '{relative}'");
            if (Path.IsPathRooted(relative) || relative.Split('/', '\\').Any(part => part is ".." or ""))
                throw new InvalidDataException($"The manifest entry '{relative}' leaves its folder; refusing it.");
        }
        return manifest;
    }

    /// <summary>The manifest of a local folder written by Modeling (manifest.json inside it).</summary>
    public static FolderManifest Of(string folder) => Parse(Path.Combine(folder, FileName));
}
