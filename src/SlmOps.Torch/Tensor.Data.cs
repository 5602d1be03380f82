using SlmOps.Torch.Native;

namespace SlmOps.Torch;

// Copies between tensors and managed memory.
public sealed partial class Tensor
{
    /// <summary>Copies all elements (row-major) to a new array, converting to T's dtype; works from any device.</summary>
    public unsafe T[] ToArray<T>()
        where T : unmanaged
    {
        var type = ScalarTypes.Of<T>();
        var result = new T[numel()];
        fixed (T* p = result)
        {
            NativeMethods.Check(NativeMethods.SlmTensor_copy_to_host(Handle, p, result.Length, (int)type));
        }

        return result;
    }

    /// <summary>
    /// Writes <paramref name="values"/> into this tensor's elements [offset, offset + values.Length) in row-major order,
    /// in place and outside autograd, converting from T's dtype; the tensor must be contiguous (any device).
    /// Used to fill parameters straight from file chunks without a staging tensor.
    /// </summary>
    public unsafe void CopyFrom<T>(ReadOnlySpan<T> values, long offset = 0)
        where T : unmanaged
    {
        var type = ScalarTypes.Of<T>();
        fixed (T* p = values)
        {
            T dummy = default; // from_blob needs a non-null pointer even for zero elements
            NativeMethods.Check(NativeMethods.SlmTensor_copy_from_host(Handle, values.Length == 0 ? &dummy : p, offset, values.Length, (int)type));
        }
    }

    /// <summary>Same as <see cref="ToArray{T}"/> (TorchSharp's name).</summary>
    public T[] data<T>()
        where T : unmanaged => ToArray<T>();

    /// <summary>The value of a one-element tensor.</summary>
    public unsafe T item<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half))
        {
            double value;
            NativeMethods.Check(NativeMethods.SlmTensor_item_double(Handle, &value));
            if (typeof(T) == typeof(float))
            {
                return (T)(object)(float)value;
            }

            if (typeof(T) == typeof(Half))
            {
                return (T)(object)(Half)value;
            }

            return (T)(object)value;
        }

        long integral;
        NativeMethods.Check(NativeMethods.SlmTensor_item_long(Handle, &integral));
        return typeof(T) switch
        {
            var t when t == typeof(long) => (T)(object)integral,
            var t when t == typeof(int) => (T)(object)checked((int)integral),
            var t when t == typeof(bool) => (T)(object)(integral != 0),
            var t when t == typeof(byte) => (T)(object)checked((byte)integral),
            var t when t == typeof(short) => (T)(object)checked((short)integral),
            var t when t == typeof(sbyte) => (T)(object)checked((sbyte)integral),
            _ => throw new NotSupportedException($"item<{typeof(T).Name}> is not supported"),
        };
    }
}
