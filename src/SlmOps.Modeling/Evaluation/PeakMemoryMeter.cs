using SlmOps.Torch;

namespace SlmOps.Modeling.Evaluation;

/// <summary>
/// Peak training memory, one definition for every method: on CUDA the caching allocator's peak since <see cref="Reset"/>;
/// on CPU the resident-set high-water mark reached since <see cref="Reset"/> minus the resident size at that moment
/// (what the training added on top of the already-resident LLM, data and runtime; <see cref="ProcessMemory"/>).
/// </summary>
public sealed class PeakMemoryMeter(Device device)
{
    private long? _residentAtReset;

    public void Reset()
    {
        if (device.Type == DeviceType.CUDA) torch.cuda.reset_peak_memory_stats(device.Index);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ProcessMemory.ResetPeak();
        _residentAtReset = ProcessMemory.ResidentBytes();
    }

    public long? Peak() => device.Type == DeviceType.CUDA
        ? torch.cuda.max_memory_allocated(device.Index)
        : ProcessMemory.PeakResidentBytes() - _residentAtReset;
}
