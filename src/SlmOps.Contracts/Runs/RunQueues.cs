namespace SlmOps.Contracts.Runs;

/// <summary>Where run commands go: one RabbitMQ priority queue per device class, shared by web and worker.</summary>
public static class RunQueues
{
    /// <summary>Configuration key of the queue-name prefix (tests give each worker set its own).</summary>
    public const string PrefixKey = "RunQueues:Prefix";

    public const string DefaultPrefix = "slmops-worker-";

    /// <summary>RabbitMQ x-max-priority of run queues; a run's priority is clamped to 0..MaxPriority.</summary>
    public const byte MaxPriority = 9;

    /// <summary>"cpu" for cpu devices, "cuda" for cuda and cuda:N.</summary>
    public static string DeviceClass(string? device) =>
        device is not null && device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? "cuda" : "cpu";

    public static string QueueName(string? prefix, string? device) =>
        (string.IsNullOrWhiteSpace(prefix) ? DefaultPrefix : prefix) + DeviceClass(device);

    public static byte Priority(int runPriority) => (byte)Math.Clamp(runPriority, 0, MaxPriority);
}
