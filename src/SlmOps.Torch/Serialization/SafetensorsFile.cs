namespace SlmOps.Torch.Serialization;

/// <summary>
/// Reads and writes the safetensors container (8-byte little-endian header length, JSON header, raw data) in
/// managed code, independent of libtorch, so the format rules are testable on their own.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Reads and validates the header only.</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return ReadHeader(stream, path, out _);
    }

    /// <summary>Reads every tensor's bytes, in header order, after validating the header against the file size.</summary>
    public static (IReadOnlyList<SafetensorsTensorBytes> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(
        string path)
    {
        using var stream = OpenRead(path);
        var header = ReadHeader(stream, path, out var dataStart);
        var tensors = new List<SafetensorsTensorBytes>(header.Entries.Count);
        foreach (var e in header.Entries)
        {
            if (e.ByteLength > Array.MaxLength)
            {
                throw new SafetensorsException($"{path}: tensor '{e.Name}' is too large to load ({e.ByteLength} bytes)");
            }
            var data = new byte[e.ByteLength];
            stream.Position = dataStart + e.Begin;
            stream.ReadExactly(data);
            tensors.Add(new SafetensorsTensorBytes(e.Name, e.DType, e.Shape, data));
        }
        return (tensors, header.Metadata);
    }

    /// <summary>
    /// Writes tensors in the given order. The file is written beside the target and renamed into place, so a crash
    /// mid-write never leaves a half-written checkpoint under the final name.
    /// </summary>
    public static void Write(
        string path, IEnumerable<SafetensorsTensorBytes> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>();
        var entries = new List<SafetensorsEntry>(list.Count);
        long offset = 0;
        foreach (var t in list)
        {
            if (!names.Add(t.Name))
            {
                throw new SafetensorsException($"duplicate tensor name '{t.Name}'");
            }
            if (t.Name == "__metadata__")
            {
                throw new SafetensorsException("'__metadata__' is reserved and cannot name a tensor");
            }
            var entry = new SafetensorsEntry(t.Name, t.DType, t.Shape, offset, offset + t.Data.LongLength);
            var expected = entry.ElementCount * SafetensorsDType.ElementSize(t.DType);
            if (expected != t.Data.LongLength)
            {
                throw new SafetensorsException(
                    $"tensor '{t.Name}' ({t.DType} [{string.Join(", ", t.Shape)}]) needs {expected} bytes, got {t.Data.LongLength}");
            }
            entries.Add(entry);
            offset = entry.End;
        }
        var header = new SafetensorsHeader(entries, metadata ?? new Dictionary<string, string>()).ToBytes();

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> prefix = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (var t in list)
                {
                    stream.Write(t.Data);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (FileNotFoundException e)
        {
            throw new SafetensorsException($"safetensors file not found: {path}", e);
        }
    }

    private static SafetensorsHeader ReadHeader(FileStream stream, string path, out long dataStart)
    {
        try
        {
            Span<byte> prefix = stackalloc byte[8];
            var got = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
            var headerLength = SafetensorsHeader.ReadHeaderLength(prefix[..got], stream.Length);
            var json = new byte[headerLength];
            stream.ReadExactly(json);
            dataStart = 8 + headerLength;
            return SafetensorsHeader.Parse(json, stream.Length - dataStart);
        }
        catch (SafetensorsException e)
        {
            throw new SafetensorsException($"{path}: {e.Message}", e);
        }
    }
}
