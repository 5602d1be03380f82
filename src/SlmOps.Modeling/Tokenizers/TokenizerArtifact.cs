using System.Security.Cryptography;
using System.Text.Json;

namespace SlmOps.Modeling.Tokenizers;

/// <summary>Saves and loads tokenizers as JSON artifacts, dispatching on the "kind" property.</summary>
public static class TokenizerArtifact
{
    public static string HashOf(ReadOnlySpan<byte> canonicalJson) =>
        Convert.ToHexStringLower(SHA256.HashData(canonicalJson));

    public static void Save(ITokenizer tokenizer, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, tokenizer.ToCanonicalJson());
    }

    public static ITokenizer Load(string path) => FromJson(File.ReadAllBytes(path));

    public static ITokenizer FromJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var doc = JsonDocument.ParseValue(ref reader);
        var kind = doc.RootElement.GetProperty("kind").GetString();
        return kind switch
        {
            CharPairTokenizer.KindName => CharPairTokenizer.FromJson(doc.RootElement),
            ByteBpeTokenizer.KindName => ByteBpeTokenizer.FromJson(doc.RootElement),
            _ => throw new InvalidDataException($"Unknown tokenizer kind '{kind}'. Expected '{CharPairTokenizer.KindName}' or '{ByteBpeTokenizer.KindName}'."),
        };
    }

    internal static byte[] WriteCanonical(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        // Indented=false and the default (escaping) encoder give one byte form per value.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            write(writer);
        }
        return stream.ToArray();
    }
}
