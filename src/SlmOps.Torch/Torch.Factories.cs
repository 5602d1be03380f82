using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

/// <summary>Entry point shaped like PyTorch's <c>torch</c> module (and TorchSharp's).</summary>
public static partial class torch
{
    public static Tensor tensor(ReadOnlySpan<float> data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(data, ScalarType.Float32, shape, dtype ?? ScalarType.Float32, device, requires_grad);

    public static Tensor tensor(ReadOnlySpan<double> data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(data, ScalarType.Float64, shape, dtype ?? ScalarType.Float64, device, requires_grad);

    public static Tensor tensor(ReadOnlySpan<long> data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(data, ScalarType.Int64, shape, dtype ?? ScalarType.Int64, device, requires_grad);

    public static Tensor tensor(ReadOnlySpan<int> data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(data, ScalarType.Int32, shape, dtype ?? ScalarType.Int64, device, requires_grad);

    public static Tensor tensor(ReadOnlySpan<bool> data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(data, ScalarType.Bool, shape, dtype ?? ScalarType.Bool, device, requires_grad);

    public static Tensor tensor(ReadOnlySpan<byte> data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(data, ScalarType.UInt8, shape, dtype ?? ScalarType.UInt8, device, requires_grad);

    /// <summary>A zero-dimensional tensor holding one value.</summary>
    public static Tensor scalar_tensor(double value, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        FromSpan<double>([value], ScalarType.Float64, [], dtype, device, false);

    public static Tensor zeros(params long[] shape) => zeros(shape, null);

    public static unsafe Tensor zeros(long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        fixed (long* p = shape)
        {
            return Tensor.From(N.SlmTensor_zeros(p, shape.Length, (int)(dtype ?? ScalarType.Float32), (int)d.Type, d.Index, requires_grad ? 1 : 0));
        }
    }

    public static Tensor ones(params long[] shape) => ones(shape, null);

    public static unsafe Tensor ones(long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        fixed (long* p = shape)
        {
            return Tensor.From(N.SlmTensor_ones(p, shape.Length, (int)(dtype ?? ScalarType.Float32), (int)d.Type, d.Index, requires_grad ? 1 : 0));
        }
    }

    public static unsafe Tensor empty(long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        fixed (long* p = shape)
        {
            return Tensor.From(N.SlmTensor_empty(p, shape.Length, (int)(dtype ?? ScalarType.Float32), (int)d.Type, d.Index, requires_grad ? 1 : 0));
        }
    }

    public static unsafe Tensor full(long[] shape, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        fixed (long* p = shape)
        {
            return Tensor.From(N.SlmTensor_full(p, shape.Length, value, 0, (int)(dtype ?? ScalarType.Float32), (int)d.Type, d.Index, requires_grad ? 1 : 0));
        }
    }

    /// <summary>Standard normal samples from the global generator (see <see cref="manual_seed"/>).</summary>
    public static unsafe Tensor randn(long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        fixed (long* p = shape)
        {
            return Tensor.From(N.SlmTensor_randn(p, shape.Length, (int)(dtype ?? ScalarType.Float32), (int)d.Type, d.Index, requires_grad ? 1 : 0));
        }
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static unsafe Tensor rand(long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        fixed (long* p = shape)
        {
            return Tensor.From(N.SlmTensor_rand(p, shape.Length, (int)(dtype ?? ScalarType.Float32), (int)d.Type, d.Index, requires_grad ? 1 : 0));
        }
    }

    /// <summary>Integers uniform in [low, high).</summary>
    public static unsafe Tensor randint(long low, long high, long[] shape, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? Device.CPU;
        fixed (long* p = shape)
        {
            return Tensor.From(N.SlmTensor_randint(low, high, p, shape.Length, (int)(dtype ?? ScalarType.Int64), (int)d.Type, d.Index));
        }
    }

    public static Tensor randint(long high, long[] shape, ScalarType? dtype = null, Device? device = null) =>
        randint(0, high, shape, dtype, device);

    /// <summary>0, 1, ..., end-1 as Int64 (PyTorch infers Int64 from integer arguments).</summary>
    public static Tensor arange(long end, ScalarType? dtype = null, Device? device = null) =>
        arange(0L, end, 1L, dtype, device);

    public static Tensor arange(long start, long end, long step = 1, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.From(N.SlmTensor_arange(start, end, step, (int)(dtype ?? ScalarType.Int64), (int)d.Type, d.Index, 0));
    }

    public static Tensor arange(double start, double end, double step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        return Tensor.From(N.SlmTensor_arange(start, end, step, (int)(dtype ?? ScalarType.Float32), (int)d.Type, d.Index, requires_grad ? 1 : 0));
    }

    public static Tensor eye(long n, long m = -1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        return Tensor.From(N.SlmTensor_eye(n, m < 0 ? n : m, (int)(dtype ?? ScalarType.Float32), (int)d.Type, d.Index, requires_grad ? 1 : 0));
    }

    public static Tensor zeros_like(Tensor other, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        zeros(other.shape, dtype ?? other.dtype, device ?? other.device, requires_grad);

    public static Tensor ones_like(Tensor other, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        ones(other.shape, dtype ?? other.dtype, device ?? other.device, requires_grad);

    public static Tensor empty_like(Tensor other, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        empty(other.shape, dtype ?? other.dtype, device ?? other.device, requires_grad);

    public static Tensor full_like(Tensor other, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full(other.shape, value, dtype ?? other.dtype, device ?? other.device, requires_grad);

    private static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, ScalarType source, long[]? shape, ScalarType dtype, Device? device, bool requiresGrad)
        where T : unmanaged
    {
        shape ??= [data.Length];
        long count = 1;
        foreach (var extent in shape)
        {
            count *= extent;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} elements but {data.Length} values were given", nameof(shape));
        }

        var d = device ?? Device.CPU;
        fixed (T* values = data)
        fixed (long* dims = shape)
        {
            // from_blob needs a non-null pointer even for zero elements.
            T dummy = default;
            void* source_ptr = data.Length == 0 ? &dummy : values;
            return Tensor.From(N.SlmTensor_from_data(source_ptr, (int)source, dims, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
        }
    }
}
