using SlmOps.Worker.Capabilities;

namespace SlmOps.Worker.Tests;

public sealed class WorkerCapabilitiesTests
{
    private sealed class FakeProbe(params string[] gpus) : IComputeDeviceProbe
    {
        public bool CudaAvailable => gpus.Length > 0;

        public int CudaDeviceCount => gpus.Length;

        public string CudaDeviceName(int index) => gpus[index];
    }

    [Fact]
    public void A_cuda_worker_takes_one_slot_per_gpu_and_ignores_configured_slots()
    {
        var capabilities = WorkerCapabilities.Detect(new FakeProbe("NVIDIA H100", "NVIDIA H100"), new WorkerOptions { Slots = 7, Name = "gpu-box" });

        Assert.Equal("cuda", capabilities.Device);
        Assert.Equal(2, capabilities.Slots);
        Assert.Equal("NVIDIA H100 x2", capabilities.DeviceName);
        Assert.Equal("slmops-worker-cuda", capabilities.QueueName);
        Assert.Equal("gpu-box", capabilities.WorkerName);
    }

    [Fact]
    public void A_cpu_worker_takes_the_configured_number_of_slots()
    {
        var capabilities = WorkerCapabilities.Detect(new FakeProbe(), new WorkerOptions { Slots = 3 });

        Assert.Equal("cpu", capabilities.Device);
        Assert.Equal(3, capabilities.Slots);
        Assert.Equal("slmops-worker-cpu", capabilities.QueueName);
        Assert.Equal(Environment.MachineName, capabilities.WorkerName);
        Assert.Contains($"{Environment.ProcessorCount} logical cores", capabilities.DeviceName);
    }

    [Fact]
    public void A_cpu_worker_refuses_fewer_than_one_slot()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => WorkerCapabilities.Detect(new FakeProbe(), new WorkerOptions { Slots = 0 }));

        Assert.Contains("Worker:Slots", error.Message);
    }

    [Fact]
    public void The_torch_probe_reports_what_this_libtorch_build_offers()
    {
        // Debian's libtorch-dev is CPU-only; on a CUDA build the count must agree with availability.
        var probe = new TorchDeviceProbe();

        Assert.Equal(probe.CudaAvailable, probe.CudaDeviceCount > 0);
    }
}
