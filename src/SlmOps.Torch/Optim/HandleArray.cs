namespace SlmOps.Torch.Optim;

/// <summary>
/// Raw native handles of a tensor list for one native call. Each SafeHandle is AddRef'd, so a tensor
/// disposed elsewhere fails with ObjectDisposedException here rather than crashing inside libtorch.
/// </summary>
internal ref struct HandleArray
{
    private readonly IReadOnlyList<Tensor> tensors;
    private readonly int acquired;

    public HandleArray(IReadOnlyList<Tensor> tensors, IntPtr[] buffer)
    {
        this.tensors = tensors;
        Handles = buffer;
        var count = 0;
        try
        {
            for (var i = 0; i < tensors.Count; i++)
            {
                var ok = false;
                tensors[i].Handle.DangerousAddRef(ref ok);
                count++;
                buffer[i] = tensors[i].Handle.DangerousGetHandle();
            }
        }
        catch
        {
            for (var i = 0; i < count; i++)
            {
                tensors[i].Handle.DangerousRelease();
            }

            throw;
        }

        acquired = count;
    }

    public IntPtr[] Handles { get; }

    public readonly void Dispose()
    {
        for (var i = 0; i < acquired; i++)
        {
            tensors[i].Handle.DangerousRelease();
        }
    }
}
