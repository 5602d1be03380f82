using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

// native/distributed.cpp: torch.distributed (c10d) stores and process groups.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int SlmDistributed_available();

    [LibraryImport(Library)]
    internal static partial IntPtr SlmDistributed_torch_version();

    [LibraryImport(Library)]
    internal static partial IntPtr SlmStore_create_tcp(byte* host, int port, int isServer, int worldSize, long timeoutMs);

    [LibraryImport(Library)]
    internal static partial int SlmStore_port(DistributedHandle store, int* port);

    [LibraryImport(Library)]
    internal static partial int SlmStore_set(DistributedHandle store, byte* key, byte* value, long length);

    [LibraryImport(Library)]
    internal static partial long SlmStore_get(DistributedHandle store, byte* key, byte* buffer, long capacity);

    [LibraryImport(Library)]
    internal static partial void SlmStore_dispose(IntPtr store);

    [LibraryImport(Library)]
    internal static partial IntPtr SlmProcessGroup_create_gloo(DistributedHandle store, byte* prefix, int rank, int worldSize, long timeoutMs, byte* networkInterface);

    [LibraryImport(Library)]
    internal static partial IntPtr SlmProcessGroup_create_nccl(DistributedHandle store, byte* prefix, int rank, int worldSize, long timeoutMs);

    [LibraryImport(Library)]
    internal static partial int SlmProcessGroup_has_nccl();

    [LibraryImport(Library)]
    internal static partial int SlmProcessGroup_allreduce(DistributedHandle group, TensorHandle tensor, int op);

    [LibraryImport(Library)]
    internal static partial int SlmProcessGroup_broadcast(DistributedHandle group, TensorHandle tensor, int root);

    [LibraryImport(Library)]
    internal static partial int SlmProcessGroup_barrier(DistributedHandle group);

    [LibraryImport(Library)]
    internal static partial void SlmProcessGroup_dispose(IntPtr group);

    [LibraryImport(Library)]
    internal static partial IntPtr SlmReducer_create(DistributedHandle group, IntPtr* parameters, long n, long* bucketEnds, long buckets, int average);

    [LibraryImport(Library)]
    internal static partial int SlmReducer_finish(DistributedHandle reducer);

    [LibraryImport(Library)]
    internal static partial long SlmReducer_launched(DistributedHandle reducer);

    [LibraryImport(Library)]
    internal static partial void SlmReducer_dispose(IntPtr reducer);
}
