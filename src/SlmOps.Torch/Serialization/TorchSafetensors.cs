using SlmOps.Torch.Native;
using SlmOps.Torch.Serialization;

namespace SlmOps.Torch;

public static partial class torch
{
    /// <summary>
    /// Writes named tensors (from any device) as a safetensors file that PyTorch / the <c>safetensors</c> package
    /// read directly. Supported dtypes: Float32, BFloat16, Float16, Int64, Bool. Entries keep the dictionary's order.
    /// </summary>
    public static void save_safetensors(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var blobs = tensors.Select(kv => TensorBytes.ToSafetensors(kv.Key, kv.Value)).ToList();
        SafetensorsFile.Write(path, blobs, metadata);
    }

    /// <summary>
    /// Reads every tensor of a safetensors file onto <paramref name="device"/> (CPU when null). The header is
    /// validated first; a truncated or malformed file raises <see cref="SafetensorsException"/> naming the problem.
    /// The caller owns the returned tensors (they are also registered in the current dispose scope, if any).
    /// </summary>
    public static Dictionary<string, Tensor> load_safetensors(string path, Device? device = null) =>
        load_safetensors(path, out _, device);

    /// <summary>As <see cref="load_safetensors(string, Device?)"/>, also returning the file's __metadata__ map.</summary>
    public static Dictionary<string, Tensor> load_safetensors(string path, out IReadOnlyDictionary<string, string> metadata,
        Device? device = null)
    {
        var (blobs, meta) = SafetensorsFile.Read(path);
        metadata = meta;
        var result = new Dictionary<string, Tensor>(blobs.Count);
        try
        {
            foreach (var blob in blobs)
            {
                result.Add(blob.Name, TensorBytes.FromSafetensors(blob, device));
            }
        }
        catch
        {
            foreach (var t in result.Values)
            {
                t.Dispose();
            }
            throw;
        }
        return result;
    }
}

/// <summary>
/// Conversions between tensors and safetensors' little-endian byte layout. The native copy converts dtype and
/// device in one step, so each tensor crosses the managed boundary exactly once in each direction.
/// </summary>
internal static class TensorBytes
{
    public static unsafe SafetensorsTensorBytes ToSafetensors(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var dtype = tensor.dtype switch
        {
            ScalarType.Float32 => SafetensorsDType.F32,
            ScalarType.BFloat16 => SafetensorsDType.BF16,
            ScalarType.Float16 => SafetensorsDType.F16,
            ScalarType.Int64 => SafetensorsDType.I64,
            ScalarType.Bool => SafetensorsDType.Bool,
            var other => throw new SafetensorsException(
                $"tensor '{name}' has dtype {other}, which safetensors export does not support " +
                "(supported: Float32, BFloat16, Float16, Int64, Bool)"),
        };
        var shape = tensor.shape;
        var count = tensor.numel();
        var data = new byte[checked(count * SafetensorsDType.ElementSize(dtype))];
        fixed (byte* p = data)
        {
            NativeMethods.Check(NativeMethods.SlmTensor_copy_to_host(tensor.Handle, p, count, (int)tensor.dtype));
        }
        return new SafetensorsTensorBytes(name, dtype, shape, data);
    }

    public static unsafe Tensor FromSafetensors(SafetensorsTensorBytes blob, Device? device)
    {
        var type = blob.DType switch
        {
            SafetensorsDType.F32 => ScalarType.Float32,
            SafetensorsDType.BF16 => ScalarType.BFloat16,
            SafetensorsDType.F16 => ScalarType.Float16,
            SafetensorsDType.I64 => ScalarType.Int64,
            SafetensorsDType.Bool => ScalarType.Bool,
            var other => throw new SafetensorsException($"tensor '{blob.Name}' has unsupported dtype '{other}'"),
        };
        var data = blob.Data;
        if (type == ScalarType.Bool && data.Any(b => b > 1))
        {
            // A foreign writer's 0xFF must not become an invalid bool inside libtorch: any non-zero byte is true.
            data = [.. data.Select(b => b != 0 ? (byte)1 : (byte)0)];
        }
        var target = device ?? Device.CPU;
        var shape = blob.Shape;
        fixed (byte* p = data)
        fixed (long* s = shape)
        {
            // from_blob needs a non-null pointer even for an empty tensor.
            byte dummy = 0;
            var src = data.Length == 0 ? &dummy : p;
            return Tensor.From(NativeMethods.SlmTensor_from_data(
                src, (int)type, s, shape.Length, (int)type, (int)target.Type, target.Index, 0));
        }
    }
}
