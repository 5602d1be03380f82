using SlmOps.Torch.Native;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

// Autograd and in-place updates. In-place methods return this tensor (no new handle).
public sealed partial class Tensor
{
    /// <summary>The accumulated gradient, or null when none has been computed (a new handle each read).</summary>
    public unsafe Tensor? grad
    {
        get
        {
            IntPtr output;
            N.Check(N.SlmAutograd_grad(Handle, &output));
            return output == IntPtr.Zero ? null : FromRaw(output);
        }

        set => N.Check(N.SlmAutograd_set_grad(Handle, value?.Handle ?? TensorHandle.Null));
    }

    public Tensor requires_grad_(bool value = true)
    {
        requires_grad = value;
        return this;
    }

    /// <summary>Back-propagates from this tensor (a scalar unless <paramref name="gradient"/> is given).</summary>
    public void backward(Tensor? gradient = null, bool retain_graph = false) =>
        N.Check(N.SlmAutograd_backward(Handle, gradient?.Handle ?? TensorHandle.Null, retain_graph ? 1 : 0));

    public Tensor add_(Tensor other, double alpha = 1)
    {
        N.Check(N.SlmTensor_add_(Handle, other.Handle, alpha));
        return this;
    }

    public Tensor add_(double value)
    {
        N.Check(N.SlmTensor_add_scalar_(Handle, value, 0));
        return this;
    }

    public Tensor mul_(Tensor other)
    {
        N.Check(N.SlmTensor_mul_(Handle, other.Handle));
        return this;
    }

    public Tensor mul_(double value)
    {
        N.Check(N.SlmTensor_mul_scalar_(Handle, value, 0));
        return this;
    }

    public Tensor zero_()
    {
        N.Check(N.SlmTensor_zero_(Handle));
        return this;
    }

    public Tensor fill_(double value)
    {
        N.Check(N.SlmTensor_fill_(Handle, value, 0));
        return this;
    }

    public Tensor copy_(Tensor source)
    {
        N.Check(N.SlmTensor_copy_(Handle, source.Handle));
        return this;
    }

    /// <summary>Writes slice i of <paramref name="source"/> (along <paramref name="dim"/>) to index[i] of this tensor, in place.</summary>
    public Tensor index_copy_(long dim, Tensor index, Tensor source)
    {
        N.Check(N.SlmTensor_index_copy_(Handle, dim, index.Handle, source.Handle));
        return this;
    }
}
