using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

// native/ops.cpp: views, elementwise math, reductions, indexing, in-place updates.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_squeeze(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_neg(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_sqrt(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_rsqrt(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_exp(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_log(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_sin(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_cos(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_tanh(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_relu(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_sigmoid(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_abs(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_logical_not(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_sum(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_mean(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_max(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_min(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_add(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_sub(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_mul(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_div(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_pow(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_matmul(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_bmm(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_maximum(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_minimum(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_eq(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_ne(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_lt(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_le(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_gt(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_ge(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_logical_and(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_logical_or(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_add_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_sub_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_rsub_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_mul_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_div_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_rdiv_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_pow_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_eq_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_ne_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_lt_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_le_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_gt_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_ge_scalar(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_reshape(TensorHandle self, long* shape, int n);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_view(TensorHandle self, long* shape, int n);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_permute(TensorHandle self, long* order, int n);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_expand(TensorHandle self, long* shape, int n);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_transpose(TensorHandle self, long dim0, long dim1);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_slice(TensorHandle self, long dim, long start, long end, long step);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_narrow(TensorHandle self, long dim, long start, long length);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_unsqueeze(TensorHandle self, long dim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_squeeze_dim(TensorHandle self, long dim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_tril(TensorHandle self, long k);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_triu(TensorHandle self, long k);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_gelu(TensorHandle self, int tanhApproximation);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_clamp(TensorHandle self, double min, int hasMin, double max, int hasMax);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_sum_dim(TensorHandle self, long dim, int keepdim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_mean_dim(TensorHandle self, long dim, int keepdim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_var(TensorHandle self, int unbiased);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_var_dim(TensorHandle self, long dim, int unbiased, int keepdim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_argmax(TensorHandle self, long dim, int keepdim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_argmin(TensorHandle self, long dim, int keepdim);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_max_dim(TensorHandle self, long dim, int keepdim, IntPtr* output);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_min_dim(TensorHandle self, long dim, int keepdim, IntPtr* output);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_topk(TensorHandle self, long k, long dim, int largest, int sorted, IntPtr* output);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_softmax(TensorHandle self, long dim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_log_softmax(TensorHandle self, long dim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_masked_fill(TensorHandle self, TensorHandle mask, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_index_select(TensorHandle self, long dim, TensorHandle index);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_gather(TensorHandle self, long dim, TensorHandle index);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_where(TensorHandle condition, TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_cat(IntPtr* handles, long n, long dim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_stack(IntPtr* handles, long n, long dim);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_multinomial(TensorHandle probs, long n, int replacement);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_add_(TensorHandle self, TensorHandle other, double alpha);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_add_scalar_(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_mul_(TensorHandle self, TensorHandle other);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_mul_scalar_(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_zero_(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_fill_(TensorHandle self, double value, int isIntegral);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_copy_(TensorHandle self, TensorHandle source);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_index_copy_(TensorHandle self, long dim, TensorHandle index, TensorHandle source);
}
