namespace SlmOps.Worker.Capabilities;

/// <summary>Settings of the <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>A name for logs and run records; defaults to the machine name.</summary>
    public string? Name { get; set; }

    /// <summary>Concurrent runs on a CPU worker. A CUDA worker runs one per GPU and ignores this.</summary>
    public int Slots { get; set; } = 1;
}
