using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SlmOps.Torch;
using SlmOps.Torch.Serialization;

namespace SlmOps.Modeling.Checkpoints;

/// <summary>
/// Loads a safetensors file into a module's parameters in one sequential pass: every byte is hashed as it is read, and
/// each tensor's bytes go from a small reused chunk buffer straight into its parameter (no copy of the whole file in
/// memory, no staging tensor, so a load touches fresh memory only for the parameters themselves). Keys and shapes
/// are checked from the header before any parameter is written, as load_state_dict does.
/// </summary>
/// <remarks>
/// The hash is known only at the end: a caller that finds it wrong must discard the module (the load paths build a
/// fresh module for each load and dispose it on any error, so a model whose bytes did not verify is never returned).
/// </remarks>
public static class SafetensorsStream
{
    /// <summary>Chunk size: a multiple of every element size, small enough to stay in cache between read, hash and copy.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>Fills <paramref name="module"/> from <paramref name="path"/> and returns the file's sha256 (lowercase hex).</summary>
    public static string LoadInto(torch.nn.Module module, string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var reader = new HashingReader(stream, sha, buffer, path);
            var header = reader.ReadHeader(stream.Length);
            var own = module.state_dict();
            var entries = CheckFit(module, header, own, path);
            if (own.Any(kv => entries[kv.Key].DType != SafetensorsDType.F32 || kv.Value.dtype != ScalarType.Float32))
            {
                // Anything but float32 (e.g. a foreign bf16 file) goes through the general reader, which reads the file again.
                reader.SkipToEnd();
                module.load(path);
                return reader.Sha256();
            }

            using (torch.no_grad())
            {
                foreach (var entry in header.Entries.Where(e => e.ByteLength > 0).OrderBy(e => e.Begin))
                {
                    reader.SkipTo(entry.Begin);
                    var target = own[entry.Name];
                    for (long done = 0; done < entry.ByteLength;)
                    {
                        var chunk = reader.Read((int)Math.Min(ChunkBytes, entry.ByteLength - done));
                        target.CopyFrom(MemoryMarshal.Cast<byte, float>(chunk), done / sizeof(float));
                        done += chunk.Length;
                    }
                }
            }
            reader.SkipToEnd();
            return reader.Sha256();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The header's entries by name, once every key and shape matches the module's.</summary>
    private static Dictionary<string, SafetensorsEntry> CheckFit(torch.nn.Module module, SafetensorsHeader header, Dictionary<string, Tensor> own, string source)
    {
        var entries = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var problems = StateDictFit.Problems(own, entries.ToDictionary(kv => kv.Key, kv => kv.Value.Shape));
        if (problems.Count > 0) throw new InvalidDataException($"'{source}' does not fit {module.GetName}: {string.Join("; ", problems)}.");
        return entries;
    }

    /// <summary>Reads the file front to back through one buffer, hashing every byte it hands out or skips.</summary>
    private sealed class HashingReader(FileStream stream, IncrementalHash sha, byte[] buffer, string path)
    {
        private long _dataStart;
        private long _position; // in the file

        public SafetensorsHeader ReadHeader(long fileLength)
        {
            var prefix = Read(8).ToArray();
            var headerLength = SafetensorsHeader.ReadHeaderLength(prefix, fileLength);
            var json = new byte[headerLength];
            for (var at = 0; at < json.Length;)
            {
                var part = Read((int)Math.Min(buffer.Length, json.Length - at));
                part.CopyTo(json.AsSpan(at));
                at += part.Length;
            }
            _dataStart = 8 + headerLength;
            return SafetensorsHeader.Parse(json, fileLength - _dataStart);
        }

        /// <summary>Exactly <paramref name="count"/> (at most the buffer's length) next bytes of the file, hashed.</summary>
        public ReadOnlySpan<byte> Read(int count)
        {
            for (var filled = 0; filled < count;)
            {
                var n = stream.Read(buffer, filled, count - filled);
                if (n == 0) throw new InvalidDataException($"'{path}' ended after {_position + filled:N0} bytes while it was being read.");
                filled += n;
            }
            sha.AppendData(buffer, 0, count);
            _position += count;
            return buffer.AsSpan(0, count);
        }

        /// <summary>Hashes the bytes up to <paramref name="dataOffset"/> of the data section (padding between tensors).</summary>
        public void SkipTo(long dataOffset)
        {
            for (var gap = _dataStart + dataOffset - _position; gap > 0; gap = _dataStart + dataOffset - _position)
                Read((int)Math.Min(buffer.Length, gap));
        }

        public void SkipToEnd()
        {
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                _position += n;
            }
        }

        public string Sha256() => Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
