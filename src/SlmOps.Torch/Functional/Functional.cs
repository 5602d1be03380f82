using SlmOps.Torch.Native;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>torch.nn.functional: stateless layers and losses.</summary>
        public static partial class functional
        {
            /// <summary>x W^T + b.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                Tensor.From(N.SlmNN_linear(input.Handle, weight.Handle, Optional(bias)));

            public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* p = normalized_shape)
                {
                    return Tensor.From(N.SlmNN_layer_norm(input.Handle, p, normalized_shape.Length, Optional(weight), Optional(bias), eps));
                }
            }

            /// <summary>Rows of <paramref name="weight"/> picked by integer (Int64/Int32) <paramref name="input"/>.</summary>
            public static Tensor embedding(Tensor input, Tensor weight) => Tensor.From(N.SlmNN_embedding(input.Handle, weight.Handle));

            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) =>
                Tensor.From(N.SlmNN_dropout(input.Handle, p, training ? 1 : 0));

            public static Tensor gelu(Tensor input, string approximate = "none") => input.gelu(approximate);

            public static Tensor relu(Tensor input) => input.relu();

            public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);

            public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);

            /// <summary>
            /// Cross entropy of logits (N, C) or (N, C, d...) against Int64 class indices; targets equal to
            /// <paramref name="ignore_index"/> contribute nothing. <paramref name="reduction"/>: "mean", "sum" or "none".
            /// </summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, long ignore_index = -100, string reduction = "mean", double label_smoothing = 0) =>
                Tensor.From(N.SlmNN_cross_entropy(input.Handle, target.Handle, ignore_index, Reduction(reduction), label_smoothing));

            public static Tensor mse_loss(Tensor input, Tensor target, string reduction = "mean") =>
                Tensor.From(N.SlmNN_mse_loss(input.Handle, target.Handle, Reduction(reduction)));

            /// <summary>
            /// softmax(Q K^T / sqrt(d) + mask) V over (..., L, d) inputs. A bool mask marks positions that may be
            /// attended; a float mask is added to the scores. libtorch >= 2.0 runs its fused kernels; 1.13 the math path.
            /// </summary>
            public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null, double dropout_p = 0, bool is_causal = false) =>
                Tensor.From(N.SlmNN_scaled_dot_product_attention(query.Handle, key.Handle, value.Handle, Optional(attn_mask), dropout_p, is_causal ? 1 : 0));

            /// <summary>The reference (unfused) attention, always available; used to check the fused kernels.</summary>
            public static Tensor scaled_dot_product_attention_math(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null, double dropout_p = 0, bool is_causal = false) =>
                Tensor.From(N.SlmNN_attention_math(query.Handle, key.Handle, value.Handle, Optional(attn_mask), dropout_p, is_causal ? 1 : 0));

            private static TensorHandle Optional(Tensor? tensor) => tensor?.Handle ?? TensorHandle.Null;

            // Values of at::Reduction.
            private static int Reduction(string reduction) => reduction switch
            {
                "none" => 0,
                "mean" => 1,
                "sum" => 2,
                _ => throw new ArgumentException($"reduction must be 'mean', 'sum' or 'none', not '{reduction}'", nameof(reduction)),
            };
        }
    }
}
