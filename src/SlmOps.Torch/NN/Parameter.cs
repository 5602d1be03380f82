namespace SlmOps.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Makes <paramref name="data"/> a trainable leaf: detached from any autograd history, requires_grad set,
        /// and detached from the current dispose scope so that a training loop's scope never frees a weight.
        /// The returned tensor is owned by whoever registers it (normally a <see cref="Module"/>).
        /// </summary>
        public static Tensor Parameter(Tensor data, bool requires_grad = true)
        {
            ArgumentNullException.ThrowIfNull(data);
            Tensor leaf;
            if (data.is_leaf && !data.requires_grad)
            {
                leaf = data;
            }
            else
            {
                leaf = data.detach();
            }
            leaf.requires_grad = requires_grad;
            leaf.DetachFromDisposeScope();
            return leaf;
        }
    }
}
