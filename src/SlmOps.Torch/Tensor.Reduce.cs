using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

// Reductions, normalisations along a dimension, and indexing.
public sealed partial class Tensor
{
    public Tensor sum() => From(N.SlmTensor_sum(Handle));

    public Tensor sum(long dim, bool keepdim = false) => From(N.SlmTensor_sum_dim(Handle, dim, keepdim ? 1 : 0));

    public Tensor mean() => From(N.SlmTensor_mean(Handle));

    public Tensor mean(long dim, bool keepdim = false) => From(N.SlmTensor_mean_dim(Handle, dim, keepdim ? 1 : 0));

    public Tensor max() => From(N.SlmTensor_max(Handle));

    public Tensor min() => From(N.SlmTensor_min(Handle));

    public unsafe (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
    {
        var output = stackalloc IntPtr[2];
        N.Check(N.SlmTensor_max_dim(Handle, dim, keepdim ? 1 : 0, output));
        return (FromRaw(output[0]), FromRaw(output[1]));
    }

    public unsafe (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
    {
        var output = stackalloc IntPtr[2];
        N.Check(N.SlmTensor_min_dim(Handle, dim, keepdim ? 1 : 0, output));
        return (FromRaw(output[0]), FromRaw(output[1]));
    }

    /// <summary>Variance over all elements (Bessel-corrected unless <paramref name="unbiased"/> is false).</summary>
    public Tensor var(bool unbiased = true) => From(N.SlmTensor_var(Handle, unbiased ? 1 : 0));

    public Tensor var(long dim, bool unbiased = true, bool keepdim = false) =>
        From(N.SlmTensor_var_dim(Handle, dim, unbiased ? 1 : 0, keepdim ? 1 : 0));

    public Tensor argmax(long dim, bool keepdim = false) => From(N.SlmTensor_argmax(Handle, dim, keepdim ? 1 : 0));

    public Tensor argmin(long dim, bool keepdim = false) => From(N.SlmTensor_argmin(Handle, dim, keepdim ? 1 : 0));

    public unsafe (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        var output = stackalloc IntPtr[2];
        N.Check(N.SlmTensor_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, output));
        return (FromRaw(output[0]), FromRaw(output[1]));
    }

    public Tensor softmax(long dim) => From(N.SlmTensor_softmax(Handle, dim));

    public Tensor log_softmax(long dim) => From(N.SlmTensor_log_softmax(Handle, dim));

    /// <summary>Copy with <paramref name="value"/> where <paramref name="mask"/> (bool) is true.</summary>
    public Tensor masked_fill(Tensor mask, double value) => From(N.SlmTensor_masked_fill(Handle, mask.Handle, value, 0));

    public Tensor index_select(long dim, Tensor index) => From(N.SlmTensor_index_select(Handle, dim, index.Handle));

    public Tensor gather(long dim, Tensor index) => From(N.SlmTensor_gather(Handle, dim, index.Handle));
}
