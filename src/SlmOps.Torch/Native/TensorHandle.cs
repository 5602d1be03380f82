using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

/// <summary>Owns one native <c>at::Tensor*</c>; releasing it drops that reference to the storage.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>Passed where the native side takes an optional tensor (it sees nullptr).</summary>
    internal static readonly TensorHandle Null = new();

    public TensorHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal TensorHandle(IntPtr existing)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(existing);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.SlmTensor_dispose(handle);
        return true;
    }
}
