namespace SlmOps.Worker.Capabilities;

/// <summary>
/// What this worker offers: which device it trains on, how many runs it takes at once, how many ranks of a data-parallel
/// run it runs itself, and the address other workers reach it at (for a gang's rendezvous).
/// </summary>
public sealed record WorkerCapabilities(string WorkerName, string Device, string DeviceName, int Slots, int Ranks = 1, string Address = "127.0.0.1")
{
    /// <summary>The queue this worker consumes, named for its capability so GPU and CPU work can be routed apart.</summary>
    public string QueueName => $"slmops-worker-{Device}";

    public static WorkerCapabilities Detect(IComputeDeviceProbe probe, WorkerOptions options)
    {
        var name = string.IsNullOrWhiteSpace(options.Name) ? Environment.MachineName : options.Name;
        if (probe.CudaAvailable && probe.CudaDeviceCount > 0)
        {
            var count = probe.CudaDeviceCount;
            var names = Enumerable.Range(0, count).Select(probe.CudaDeviceName).Distinct();
            return new WorkerCapabilities(name, "cuda", $"{string.Join(", ", names)} x{count}", count, RanksOf(options, count), options.Address);
        }
        if (options.Slots < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Slots, "Worker:Slots must be at least 1");
        }
        return new WorkerCapabilities(name, "cpu", CpuDescription(), options.Slots, RanksOf(options, 1), options.Address);
    }

    private static int RanksOf(WorkerOptions options, int devices) => options.Ranks switch
    {
        null => devices,
        < 1 => throw new ArgumentOutOfRangeException(nameof(options), options.Ranks, "Worker:Ranks must be at least 1"),
        var ranks => ranks.Value,
    };

    private static string CpuDescription()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var model = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo)
                .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? "CPU"} ({Environment.ProcessorCount} logical cores)";
    }
}
