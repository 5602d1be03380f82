using SlmOps.Torch;

namespace SlmOps.Worker.Capabilities;

/// <summary>Asks libtorch (through SlmOps.Torch) whether CUDA is usable and which devices there are.</summary>
/// <remarks>On Debian's CPU-only libtorch this reports no CUDA; on a CUDA libtorch it reports the GPUs the driver shows.</remarks>
public sealed class TorchDeviceProbe : IComputeDeviceProbe
{
    public bool CudaAvailable => torch.cuda.is_available();

    public int CudaDeviceCount => torch.cuda.device_count();

    public string CudaDeviceName(int index) => torch.cuda.get_device_name(index);
}
