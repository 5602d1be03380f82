using SlmOps.Torch.Native;

namespace SlmOps.Torch;

/// <summary>
/// A libtorch tensor. Each instance owns one native reference, released deterministically by
/// <see cref="Dispose"/> (or by the innermost <see cref="DisposeScope"/> it was created under);
/// the GC finalizer is only a safety net. Any use after disposal throws ObjectDisposedException.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    internal Tensor(TensorHandle handle)
    {
        Handle = handle;
        DisposeScope.Register(this);
    }

    internal TensorHandle Handle { get; }

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal DisposeScope? OwnerScope { get; set; }

    public bool IsDisposed => Handle.IsClosed;

    public long[] shape
    {
        get
        {
            var result = new long[NativeMethods.SlmTensor_ndim(Handle)];
            unsafe
            {
                fixed (long* p = result)
                {
                    NativeMethods.SlmTensor_shape(Handle, p);
                }
            }

            return result;
        }
    }

    public ScalarType dtype => (ScalarType)NativeMethods.SlmTensor_dtype(Handle);

    public Device device => new((DeviceType)NativeMethods.SlmTensor_device_type(Handle), NativeMethods.SlmTensor_device_index(Handle));

    public bool requires_grad
    {
        get => NativeMethods.SlmTensor_requires_grad(Handle) != 0;
        set => NativeMethods.Check(NativeMethods.SlmTensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    public bool is_leaf => NativeMethods.SlmTensor_is_leaf(Handle) != 0;

    public long dim() => NativeMethods.SlmTensor_ndim(Handle);

    public long numel() => NativeMethods.SlmTensor_numel(Handle);

    /// <summary>Bytes per element of this tensor's dtype.</summary>
    public int element_size() => ScalarTypes.ElementSize(dtype);

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public long size(long dimension)
    {
        var s = shape;
        var d = dimension < 0 ? dimension + s.Length : dimension;
        if (d < 0 || d >= s.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), $"dimension {dimension} is out of range for a tensor of {s.Length} dimensions");
        }

        return s[d];
    }

    public void Dispose() => Handle.Dispose();

    /// <summary>Moves this tensor from its dispose scope to the enclosing one (or to none).</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        OwnerScope?.MoveToOuter(this);
        return this;
    }

    /// <summary>Takes this tensor out of scope management; the caller disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        OwnerScope?.Detach(this);
        return this;
    }

    public override string ToString()
    {
        if (IsDisposed)
        {
            return "Tensor(disposed)";
        }

        var grad = requires_grad ? ", requires_grad=True" : string.Empty;
        return $"Tensor(shape=[{string.Join(", ", shape)}], dtype={dtype}, device={device}{grad})";
    }

    /// <summary>Wraps a handle returned by a native call, throwing the native error if it failed.</summary>
    internal static Tensor From(TensorHandle handle) => new(NativeMethods.Check(handle));

    internal static Tensor FromRaw(IntPtr handle) => new(new TensorHandle(handle));
}
