namespace SlmOps.Torch.Distributed;

/// <summary>How an all-reduce combines the ranks' tensors.</summary>
public enum ReduceOp
{
    Sum = 0,

    /// <summary>The sum divided by the world size (Gloo has no native average in libtorch 1.13).</summary>
    Average = 1,
}
