namespace SlmOps.Torch.Distributed;

/// <summary>
/// A c10d call failed on this rank: a peer that never joined or died, a timeout, a mismatch between ranks.
/// The message names the rank, the world size and the operation, then gives libtorch's own reason.
/// </summary>
public sealed class DistributedException : Exception
{
    public DistributedException(int rank, int worldSize, string operation, string reason)
        : base($"rank {rank} of {worldSize}: {operation} failed: {reason}")
    {
        Rank = rank;
        WorldSize = worldSize;
        Operation = operation;
        Reason = reason;
    }

    public int Rank { get; }

    public int WorldSize { get; }

    /// <summary>"all_reduce", "broadcast", "barrier", "store get 'key'", "init_process_group (gloo)", ...</summary>
    public string Operation { get; }

    /// <summary>libtorch's message, without the C++ backtrace.</summary>
    public string Reason { get; }
}
