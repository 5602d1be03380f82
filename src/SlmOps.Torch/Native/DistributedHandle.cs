using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

/// <summary>
/// Owns one native c10d object (a store or a process group). Passing a released handle to a native call
/// throws ObjectDisposedException in the marshaller, so misuse never reaches libtorch.
/// </summary>
internal sealed class DistributedHandle : SafeHandle
{
    private readonly Action<IntPtr> release;

    internal DistributedHandle(IntPtr existing, Action<IntPtr> release)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        this.release = release;
        SetHandle(existing);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        release(handle);
        return true;
    }
}
