using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

// Functions over several tensors.
public static partial class torch
{
    public static Tensor cat(IList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: false);

    public static Tensor stack(IList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: true);

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);

    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);

    /// <summary>Elementwise <c>condition ? a : b</c>.</summary>
    public static Tensor where(Tensor condition, Tensor a, Tensor b) => Tensor.From(N.SlmTensor_where(condition.Handle, a.Handle, b.Handle));

    /// <summary>Samples <paramref name="num_samples"/> indices per row from (unnormalised) probabilities.</summary>
    public static Tensor multinomial(Tensor probs, long num_samples, bool replacement = false) =>
        Tensor.From(N.SlmTensor_multinomial(probs.Handle, num_samples, replacement ? 1 : 0));

    public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);

    public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);

    public static Tensor tril(Tensor input, long k = 0) => input.tril(k);

    public static Tensor triu(Tensor input, long k = 0) => input.triu(k);

    /// <summary>Starts a scope that disposes the tensors created on this thread until it ends.</summary>
    public static DisposeScope NewDisposeScope() => new();

    private static unsafe Tensor Join(IList<Tensor> tensors, long dim, bool stack)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var n = tensors.Count;
        var handles = n <= 64 ? stackalloc IntPtr[n] : new IntPtr[n];
        var added = new bool[n];
        try
        {
            for (var i = 0; i < n; i++)
            {
                // AddRef keeps each native tensor alive for the call and rejects disposed ones.
                tensors[i].Handle.DangerousAddRef(ref added[i]);
                handles[i] = tensors[i].Handle.DangerousGetHandle();
            }

            fixed (IntPtr* p = handles)
            {
                return Tensor.From(stack ? N.SlmTensor_stack(p, n, dim) : N.SlmTensor_cat(p, n, dim));
            }
        }
        finally
        {
            for (var i = 0; i < n; i++)
            {
                if (added[i])
                {
                    tensors[i].Handle.DangerousRelease();
                }
            }
        }
    }
}
