using SlmOps.Contracts.Runs;
using SlmOps.Modeling.Jobs;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>
/// A spec's <c>distributed.worldSize</c> N on this worker: the N ranks run here, one thread each (Modeling's
/// <see cref="LocalGang"/>): on CPU all ranks share the CPU over a Gloo group on 127.0.0.1; on CUDA rank r trains on
/// cuda:r over NCCL, so the worker needs N GPUs. Rank 0 reports progress, writes checkpoints and the output; its outcome
/// is the run's. Gang scheduling one run across several workers is not built: a worker without enough devices fails the
/// run saying so.
/// </summary>
public static class DataParallelRanks
{
    /// <summary>How long a rank waits for the others in a collective; rank 0 evaluates while the others wait.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <param name="log">Receives one line saying how the ranks run (the run's event log).</param>
    public static JobOutcome Run(DistributedSpec? spec, TrainingOptions training, Func<TrainingOptions, DataParallel?, JobOutcome> rank,
        Action<string>? log = null, int? cudaDevices = null)
    {
        var world = spec?.WorldSize ?? 1;
        if (world <= 1) return rank(training, null);
        var cuda = Device.Parse(training.Device).Type == DeviceType.CUDA;
        var devices = cudaDevices ?? (cuda ? torch.cuda.device_count() : 0);
        if (cuda && devices < world)
            throw new InvalidOperationException(
                $"distributed.worldSize {world} on {training.Device} needs {world} CUDA devices on one worker; this worker has {devices}. " +
                "Runs are not gang-scheduled across workers: lower worldSize, or run it on a worker with enough GPUs (or on cpu).");
        log?.Invoke(cuda
            ? $"Training data-parallel: {world} ranks on this worker, rank r on cuda:r, NCCL"
            : $"Training data-parallel: {world} ranks on this worker's CPU, Gloo over 127.0.0.1");
        return LocalGang.Run(world, Timeout,
            dp => rank(cuda ? training with { Device = $"cuda:{dp.Rank}" } : training, dp), nccl: cuda)[0];
    }
}
