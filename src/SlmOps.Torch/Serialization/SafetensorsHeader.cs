using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace SlmOps.Torch.Serialization;

/// <summary>
/// The parsed and validated JSON header of a safetensors file: tensor entries in file order plus the optional
/// <c>__metadata__</c> string map. Parsing checks everything that can be checked before touching tensor bytes,
/// so a bad file fails with a message naming the problem instead of a garbled tensor later.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>Headers above this size are refused: a corrupt length prefix must not make us allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const string MetadataKey = "__metadata__";

    public SafetensorsHeader(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads the 8-byte length prefix; <paramref name="fileLength"/> bounds it.</summary>
    public static long ReadHeaderLength(ReadOnlySpan<byte> prefix, long fileLength)
    {
        if (fileLength < 8 || prefix.Length < 8)
        {
            throw new SafetensorsException(
                $"truncated safetensors file: {fileLength} bytes is shorter than the 8-byte header length prefix");
        }
        var n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderBytes)
        {
            throw new SafetensorsException(
                $"malformed safetensors file: header length {n} exceeds the {MaxHeaderBytes}-byte limit");
        }
        if ((long)n > fileLength - 8)
        {
            throw new SafetensorsException(
                $"truncated safetensors file: header claims {n} bytes but only {fileLength - 8} follow the prefix");
        }
        return (long)n;
    }

    /// <summary>Parses and validates the JSON header against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new SafetensorsException($"malformed safetensors header: not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsException("malformed safetensors header: the JSON root must be an object");
            }
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == MetadataKey)
                {
                    ReadMetadata(prop.Value, metadata);
                    continue;
                }
                entries.Add(ReadEntry(prop.Name, prop.Value));
            }
            Validate(entries, dataLength);
            return new SafetensorsHeader(entries, metadata);
        }
    }

    /// <summary>Serializes a header; offsets must already be assigned. Padded with spaces to an 8-byte multiple.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (Metadata.Count > 0)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in Metadata)
                {
                    w.WriteString(k, v);
                }
                w.WriteEndObject();
            }
            foreach (var e in Entries)
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", e.DType);
                w.WriteStartArray("shape");
                foreach (var d in e.Shape)
                {
                    w.WriteNumberValue(d);
                }
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        // Alignment keeps every tensor's bytes 8-aligned when the data section is mapped, as other writers do.
        var pad = (int)((8 - (buffer.Length % 8)) % 8);
        for (var i = 0; i < pad; i++)
        {
            buffer.WriteByte((byte)' ');
        }
        return buffer.ToArray();
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsException("malformed safetensors header: __metadata__ must be an object of strings");
        }
        foreach (var m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsException(
                    $"malformed safetensors header: __metadata__ value for '{m.Name}' must be a string");
            }
            metadata[m.Name] = m.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value)
    {
        string Fail(string what) =>
            throw new SafetensorsException($"malformed safetensors header: tensor '{name}' {what}");

        if (value.ValueKind != JsonValueKind.Object)
        {
            Fail("is not an object");
        }
        if (!value.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
        {
            Fail("has no string 'dtype'");
        }
        var dtype = dtypeEl.GetString()!;
        if (!SafetensorsDType.IsSupported(dtype))
        {
            Fail($"has unsupported dtype '{dtype}' (supported: {string.Join(", ", SafetensorsDType.Supported)})");
        }
        if (!value.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
        {
            Fail("has no 'shape' array");
        }
        var shape = new List<long>();
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0)
            {
                Fail("has a shape entry that is not a non-negative integer");
            }
            shape.Add(d.GetInt64());
        }
        if (!value.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array
            || offEl.GetArrayLength() != 2)
        {
            Fail("has no 'data_offsets' [begin, end] pair");
        }
        if (!offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            Fail("has data_offsets that are not 0 <= begin <= end integers");
        }
        return new SafetensorsEntry(name, dtype, [.. shape], begin, end);
    }

    private static void Validate(List<SafetensorsEntry> entries, long dataLength)
    {
        foreach (var e in entries)
        {
            long expected;
            try
            {
                expected = checked(e.ElementCount * SafetensorsDType.ElementSize(e.DType));
            }
            catch (OverflowException)
            {
                throw new SafetensorsException($"malformed safetensors header: tensor '{e.Name}' shape overflows");
            }
            if (e.ByteLength != expected)
            {
                throw new SafetensorsException(
                    $"malformed safetensors header: tensor '{e.Name}' ({e.DType} [{string.Join(", ", e.Shape)}]) " +
                    $"needs {expected} bytes but data_offsets span {e.ByteLength}");
            }
            if (e.End > dataLength)
            {
                throw new SafetensorsException(
                    $"truncated safetensors file: tensor '{e.Name}' ends at data byte {e.End} " +
                    $"but the data section holds only {dataLength} bytes");
            }
        }
        SafetensorsEntry? previous = null;
        foreach (var e in entries.Where(x => x.ByteLength > 0).OrderBy(x => x.Begin))
        {
            if (previous is not null && e.Begin < previous.End)
            {
                throw new SafetensorsException(
                    $"malformed safetensors header: tensors '{previous.Name}' and '{e.Name}' overlap");
            }
            previous = e;
        }
    }
}
