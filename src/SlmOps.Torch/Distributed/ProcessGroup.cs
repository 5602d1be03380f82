using SlmOps.Torch.Native;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch.Distributed;

/// <summary>
/// A c10d process group: every rank of the world calls the same collectives in the same order. Gloo runs on
/// CPU tensors; NCCL on CUDA tensors where the native library was built against a libtorch that has it.
/// A collective blocks until it completes on this rank; a peer that died fails it at once ("connection closed"),
/// a peer that never arrives fails it after the group's timeout, always as a <see cref="DistributedException"/>
/// naming this rank and the operation. After a failure the group is unusable: dispose it and form a new one.
/// </summary>
public sealed class ProcessGroup : IDisposable
{
    private readonly DistributedHandle handle;

    private ProcessGroup(DistributedHandle handle, string backend, int rank, int worldSize)
    {
        this.handle = handle;
        Backend = backend;
        Rank = rank;
        WorldSize = worldSize;
    }

    /// <summary>The name torch.distributed.init_process_group gives the default group (its store prefix).</summary>
    public const string DefaultGroupName = "0";

    /// <summary>"gloo" or "nccl".</summary>
    public string Backend { get; }

    public int Rank { get; }

    public int WorldSize { get; }

    internal DistributedHandle Handle => handle;

    /// <summary>Whether <see cref="Nccl"/> can work with this native library (a CUDA libtorch with NCCL).</summary>
    public static bool NcclAvailable => N.SlmProcessGroup_has_nccl() != 0;

    /// <summary>
    /// Joins a Gloo group through <paramref name="store"/>; blocks until all <paramref name="worldSize"/> ranks have
    /// joined or the store's timeout passes. <paramref name="networkInterface"/> is the address this rank's
    /// connections bind ("127.0.0.1" for one machine); null takes the address the host name resolves to.
    /// <paramref name="groupName"/> scopes the rendezvous keys in the store, as torch.distributed does ("0" is what
    /// its init_process_group uses, so a PyTorch rank can join); a store may serve several groups under different names.
    /// </summary>
    public static unsafe ProcessGroup Gloo(TcpStore store, int rank, int worldSize, TimeSpan timeout,
        string? networkInterface = "127.0.0.1", string groupName = DefaultGroupName)
    {
        Validate(store, rank, worldSize);
        var iface = TcpStore.Utf8(networkInterface ?? "");
        var prefix = TcpStore.Utf8(groupName);
        IntPtr raw;
        fixed (byte* pi = iface)
        fixed (byte* pp = prefix)
        {
            raw = N.SlmProcessGroup_create_gloo(store.Handle, pp, rank, worldSize, Milliseconds(timeout), pi);
        }
        return Wrap(raw, "gloo", rank, worldSize);
    }

    /// <summary>Joins an NCCL group (one CUDA device per rank); throws saying why where NCCL is not built in.</summary>
    public static unsafe ProcessGroup Nccl(TcpStore store, int rank, int worldSize, TimeSpan timeout, string groupName = DefaultGroupName)
    {
        Validate(store, rank, worldSize);
        var prefix = TcpStore.Utf8(groupName);
        fixed (byte* pp = prefix)
        {
            return Wrap(N.SlmProcessGroup_create_nccl(store.Handle, pp, rank, worldSize, Milliseconds(timeout)), "nccl", rank, worldSize);
        }
    }

    /// <summary>Replaces <paramref name="tensor"/> (dense, contiguous) on every rank by the sum or the average over ranks.</summary>
    public void AllReduce(Tensor tensor, ReduceOp op = ReduceOp.Sum) =>
        Call("all_reduce", N.SlmProcessGroup_allreduce(handle, tensor.Handle, (int)op));

    /// <summary>Copies rank <paramref name="root"/>'s <paramref name="tensor"/> into every other rank's.</summary>
    public void Broadcast(Tensor tensor, int root = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        Call($"broadcast from rank {root}", N.SlmProcessGroup_broadcast(handle, tensor.Handle, root));
    }

    /// <summary>Returns once every rank has called it.</summary>
    public void Barrier() => Call("barrier", N.SlmProcessGroup_barrier(handle));

    public void Dispose() => handle.Dispose();

    private void Call(string operation, int status)
    {
        if (status != 0)
            throw new DistributedException(Rank, WorldSize, $"{operation} ({Backend})", N.LastError().Message);
    }

    private static void Validate(TcpStore store, int rank, int worldSize)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(worldSize);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
    }

    private static ProcessGroup Wrap(IntPtr raw, string backend, int rank, int worldSize)
    {
        if (raw == IntPtr.Zero)
            throw new DistributedException(rank, worldSize, $"init_process_group ({backend})", N.LastError().Message);
        return new ProcessGroup(new DistributedHandle(raw, N.SlmProcessGroup_dispose), backend, rank, worldSize);
    }

    private static long Milliseconds(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return (long)timeout.TotalMilliseconds;
    }
}
