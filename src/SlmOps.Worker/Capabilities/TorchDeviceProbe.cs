namespace SlmOps.Worker.Capabilities;

/// <summary>Asks libtorch (through SlmOps.Torch) whether CUDA is usable.</summary>
/// <remarks>
/// SlmOps.Torch does not expose torch.cuda yet; until it does this reports no CUDA, which is the truth on
/// the CPU build. Switch each property to SlmOps.Torch.torch.cuda.is_available() / device_count() once they exist.
/// </remarks>
public sealed class TorchDeviceProbe : IComputeDeviceProbe
{
    public bool CudaAvailable => false;

    public int CudaDeviceCount => 0;
}
