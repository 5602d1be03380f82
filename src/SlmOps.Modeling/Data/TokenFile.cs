using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Modeling.Data;

/// <summary>
/// A corpus encoded once: a raw little-endian array of token ids (uint16 when the vocabulary fits,
/// else int32, readable by numpy.fromfile) plus a JSON sidecar "&lt;file&gt;.json" that names the
/// tokenizer hash, the element type, the count and the sha256 of the data.
/// </summary>
public static class TokenFile
{
    public static string SidecarPath(string path) => path + ".json";

    /// <summary>Encodes documents one after another into one flat stream of ids.</summary>
    public static TokenFileInfo Write(string path, ITokenizer tokenizer, IEnumerable<string> documents)
    {
        var ids = new List<int>();
        foreach (var doc in documents) ids.AddRange(tokenizer.Encode(doc));
        return Write(path, ids.ToArray(), tokenizer.Hash, tokenizer.VocabSize);
    }

    public static TokenFileInfo Write(string path, ReadOnlySpan<int> ids, string tokenizerHash, int vocabSize)
    {
        var dtype = vocabSize <= ushort.MaxValue + 1 ? TokenDType.UInt16 : TokenDType.Int32;
        var width = dtype == TokenDType.UInt16 ? 2 : 4;
        var bytes = new byte[ids.Length * width];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            if ((uint)id >= (uint)vocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token {i} is outside the vocabulary of {vocabSize}.");
            if (width == 2) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)id);
            else BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), id);
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, bytes);
        var info = new TokenFileInfo(1, tokenizerHash, vocabSize, dtype, ids.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        File.WriteAllText(SidecarPath(path), JsonSerializer.Serialize(info, ModelingJson.Options));
        return info;
    }

    public static TokenFileInfo ReadInfo(string path)
    {
        var sidecar = SidecarPath(path);
        if (!File.Exists(sidecar)) throw new FileNotFoundException($"Token file '{path}' has no sidecar '{sidecar}'.", sidecar);
        return JsonSerializer.Deserialize<TokenFileInfo>(File.ReadAllText(sidecar), ModelingJson.Options)
            ?? throw new InvalidDataException($"'{sidecar}' is empty.");
    }

    /// <summary>Reads all ids, checking the data against the sidecar's count and sha256.</summary>
    public static int[] Read(string path, string? expectedTokenizerHash = null)
    {
        var info = ReadInfo(path);
        if (expectedTokenizerHash is not null && info.TokenizerHash != expectedTokenizerHash)
            throw new InvalidDataException($"'{path}' was encoded with tokenizer {info.TokenizerHash}, not the expected {expectedTokenizerHash}.");
        var bytes = File.ReadAllBytes(path);
        var width = info.DType == TokenDType.UInt16 ? 2 : 4;
        if (bytes.LongLength != info.Count * width)
            throw new InvalidDataException($"'{path}' holds {bytes.LongLength} bytes; its sidecar promises {info.Count} tokens of {width} bytes.");
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != info.Sha256)
            throw new InvalidDataException($"'{path}' does not match the sha256 in its sidecar; the file is corrupt or was modified.");
        var ids = new int[info.Count];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = width == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2)) : BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        return ids;
    }
}

public enum TokenDType { UInt16, Int32 }

public sealed record TokenFileInfo(int Version, string TokenizerHash, int VocabSize, TokenDType DType, long Count, string Sha256);
