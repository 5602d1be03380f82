using SlmOps.Torch.Optim;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

public static partial class torch
{
    /// <summary>torch.optim factories (the classes live in SlmOps.Torch.Optim).</summary>
    public static partial class optim
    {
        public static Optim.AdamW AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0.01) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay);

        public static Optim.SGD SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double weight_decay = 0) =>
            new(parameters, lr, momentum, weight_decay);
    }

    public static partial class nn
    {
        public static partial class utils
        {
            /// <summary>Scales all gradients so their global 2-norm is at most <paramref name="max_norm"/>; returns the norm before clipping.</summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm)
            {
                var list = parameters as IReadOnlyList<Tensor> ?? parameters.ToArray();
                using var handles = new HandleArray(list, new IntPtr[list.Count]);
                double total;
                fixed (IntPtr* p = handles.Handles)
                {
                    N.Check(N.SlmOptim_clip_grad_norm(p, list.Count, max_norm, &total));
                }

                return total;
            }
        }
    }
}
