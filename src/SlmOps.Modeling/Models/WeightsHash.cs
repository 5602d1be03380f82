using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SlmOps.Torch;

namespace SlmOps.Modeling.Models;

/// <summary>
/// sha256 of a module's weights as values (name, shape, float32 little-endian data, sorted by name),
/// so it identifies the numbers regardless of file layout, device or storage dtype.
/// </summary>
public static class WeightsHash
{
    public static string Of(torch.nn.Module module)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> int64 = stackalloc byte[8];
        foreach (var (name, tensor) in module.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            foreach (var d in tensor.shape)
            {
                BinaryPrimitives.WriteInt64LittleEndian(int64, d);
                sha.AppendData(int64);
            }
            float[] values;
            using (torch.no_grad())
            using (var f = tensor.detach().to(ScalarType.Float32))
            {
                values = f.ToArray<float>();
            }
            AppendLittleEndian(sha, values);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The values as float32 little-endian bytes. On a little-endian machine that is the array's own memory, hashed in
    /// place (a per-element conversion into a second buffer was most of the cost of hashing an LLM).
    /// </summary>
    private static void AppendLittleEndian(IncrementalHash sha, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            sha.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        sha.AppendData(bytes);
    }
}
