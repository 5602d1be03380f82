namespace SlmOps.Worker.Capabilities;

/// <summary>What accelerators this process can train on, as libtorch sees them.</summary>
public interface IComputeDeviceProbe
{
    bool CudaAvailable { get; }

    int CudaDeviceCount { get; }

    string CudaDeviceName(int index);
}
