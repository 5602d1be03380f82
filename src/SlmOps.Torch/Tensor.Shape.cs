using SlmOps.Torch.Native;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

// Conversions, copies and views (PyTorch semantics: views share storage with this tensor).
public sealed partial class Tensor
{
    public Tensor to(ScalarType type) => From(N.SlmTensor_to_dtype(Handle, (int)type));

    public Tensor to(Device target) => From(N.SlmTensor_to_device(Handle, (int)target.Type, target.Index));

    public Tensor to(Device target, ScalarType type)
    {
        using var moved = to(target);
        return moved.to(type);
    }

    public Tensor cpu() => to(Device.CPU);

    public Tensor cuda(int index = 0) => to(Device.CUDA(index));

    public Tensor clone() => From(N.SlmTensor_clone(Handle));

    public Tensor detach() => From(N.SlmTensor_detach(Handle));

    public Tensor contiguous() => From(N.SlmTensor_contiguous(Handle));

    /// <summary>A second handle to the same tensor (same storage and autograd identity).</summary>
    public Tensor alias() => From(N.SlmTensor_alias(Handle));

    public unsafe Tensor reshape(params long[] newShape)
    {
        fixed (long* p = newShape)
        {
            return From(N.SlmTensor_reshape(Handle, p, newShape.Length));
        }
    }

    public unsafe Tensor view(params long[] newShape)
    {
        fixed (long* p = newShape)
        {
            return From(N.SlmTensor_view(Handle, p, newShape.Length));
        }
    }

    public unsafe Tensor permute(params long[] order)
    {
        fixed (long* p = order)
        {
            return From(N.SlmTensor_permute(Handle, p, order.Length));
        }
    }

    public unsafe Tensor expand(params long[] newShape)
    {
        fixed (long* p = newShape)
        {
            return From(N.SlmTensor_expand(Handle, p, newShape.Length));
        }
    }

    public Tensor transpose(long dim0, long dim1) => From(N.SlmTensor_transpose(Handle, dim0, dim1));

    /// <summary>Like t[..., start:end:step] along <paramref name="dim"/>; end is clamped as in Python.</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => From(N.SlmTensor_slice(Handle, dim, start, end, step));

    public Tensor narrow(long dim, long start, long length) => From(N.SlmTensor_narrow(Handle, dim, start, length));

    public Tensor unsqueeze(long dim) => From(N.SlmTensor_unsqueeze(Handle, dim));

    public Tensor squeeze() => From(N.SlmTensor_squeeze(Handle));

    public Tensor squeeze(long dim) => From(N.SlmTensor_squeeze_dim(Handle, dim));

    public Tensor tril(long k = 0) => From(N.SlmTensor_tril(Handle, k));

    public Tensor triu(long k = 0) => From(N.SlmTensor_triu(Handle, k));
}
