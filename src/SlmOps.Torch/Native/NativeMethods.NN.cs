using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

// native/functional.cpp: torch.nn.functional. Optional tensors are passed as TensorHandle.Null.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial TensorHandle SlmNN_linear(TensorHandle input, TensorHandle weight, TensorHandle bias);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmNN_layer_norm(TensorHandle input, long* normalizedShape, int n, TensorHandle weight, TensorHandle bias, double eps);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmNN_embedding(TensorHandle indices, TensorHandle weight);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmNN_dropout(TensorHandle input, double p, int training);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmNN_cross_entropy(TensorHandle logits, TensorHandle target, long ignoreIndex, int reduction, double labelSmoothing);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmNN_mse_loss(TensorHandle input, TensorHandle target, int reduction);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmNN_scaled_dot_product_attention(TensorHandle q, TensorHandle k, TensorHandle v, TensorHandle mask, double dropoutP, int isCausal);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmNN_attention_math(TensorHandle q, TensorHandle k, TensorHandle v, TensorHandle mask, double dropoutP, int isCausal);
}
