using SlmOps.Contracts.Runs;
using SlmOps.Modeling.Jobs;
using SlmOps.Modeling.Training;
using SlmOps.Torch;
using SlmOps.Torch.Distributed;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>
/// A spec's <c>distributed.worldSize</c> N. When this worker runs all N ranks itself (Worker:Ranks, its GPU count on
/// CUDA), they are threads of this process (Modeling's <see cref="LocalGang"/>): on CPU they share the CPU over a Gloo
/// group on 127.0.0.1; on CUDA rank r trains on cuda:r over NCCL. Otherwise the web host gang-scheduled the run and this
/// worker runs the one rank its claim names (<see cref="RunContext.Gang"/>): rank 0 hosts the rendezvous store at
/// Worker:Address and publishes it, every rank joins it within the join timeout, and the ranks train over Gloo (CPU) or
/// NCCL (CUDA, this worker's first GPU). Rank 0 alone reports progress, writes checkpoints and the output.
/// </summary>
public static class DataParallelRanks
{
    /// <summary>How long a rank of a local gang waits for the others in a collective; rank 0 evaluates while the others wait.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <returns>Rank 0's outcome; null on another rank of a gang spread over workers (it has no output).</returns>
    public static JobOutcome? Run(RunContext context, DistributedSpec? spec, TrainingOptions training, Func<TrainingOptions, DataParallel?, JobOutcome> rank) =>
        context.Gang is { } gang
            ? RunGangRank(context, gang, training, rank)
            : RunLocal(spec, training, rank, message => context.Log("info", message));

    /// <param name="log">Receives one line saying how the ranks run (the run's event log).</param>
    public static JobOutcome RunLocal(DistributedSpec? spec, TrainingOptions training, Func<TrainingOptions, DataParallel?, JobOutcome> rank,
        Action<string>? log = null, int? cudaDevices = null)
    {
        var world = spec?.WorldSize ?? 1;
        if (world <= 1) return rank(training, null);
        var cuda = IsCuda(training);
        var devices = cudaDevices ?? (cuda ? torch.cuda.device_count() : 0);
        if (cuda && devices < world)
            throw new InvalidOperationException(
                $"distributed.worldSize {world} on {training.Device} needs {world} CUDA devices on one worker; this worker has {devices}. " +
                "Set Worker:Ranks to at most its GPU count so larger runs are gang-scheduled across workers, or run it on cpu.");
        log?.Invoke(cuda
            ? $"Training data-parallel: {world} ranks on this worker, rank r on cuda:r, NCCL"
            : $"Training data-parallel: {world} ranks on this worker's CPU, Gloo over 127.0.0.1");
        return LocalGang.Run(world, Timeout,
            dp => rank(cuda ? training with { Device = $"cuda:{dp.Rank}" } : training, dp), nccl: cuda)[0];
    }

    private static JobOutcome? RunGangRank(RunContext context, GangLink gang, TrainingOptions training, Func<TrainingOptions, DataParallel?, JobOutcome> rank)
    {
        var cuda = IsCuda(training);
        using var store = JoinStore(gang);
        // The join barrier: every rank states its build, world size and resume step and reads every other's, so a gang
        // that would train apart fails here naming both values (e.g. two libtorch builds, or two checkpoints).
        Agreement.Check(store, "build", Agreement.Build(gang.WorldSize));
        Agreement.Check(store, "resume", ResumePoint.StepOf(context.Folders.WorkDir) is { } step ? $"resuming from step {step}" : "starting from step 0");
        using var group = cuda
            ? ProcessGroup.Nccl(store, gang.Rank, gang.WorldSize, gang.CollectiveTimeout)
            : ProcessGroup.Gloo(store, gang.Rank, gang.WorldSize, gang.CollectiveTimeout, networkInterface: gang.Address);
        gang.Joined();
        context.Log("info", cuda
            ? $"Joined the gang as rank {gang.Rank} of {gang.WorldSize} on {training.Device}, NCCL"
            : $"Joined the gang as rank {gang.Rank} of {gang.WorldSize} on this worker's CPU, Gloo at {gang.Address}");
        var outcome = rank(training, new DataParallel(group));
        return gang.Rank == 0 ? outcome : null;
    }

    /// <summary>Rank 0 hosts the store at Worker:Address and publishes it; the others wait for the address and connect.</summary>
    private static TcpStore JoinStore(GangLink gang)
    {
        if (gang.Rank == 0)
        {
            var host = TcpStore.Host(gang.WorldSize, gang.JoinTimeLeft, gang.Address);
            try
            {
                gang.PublishStoreAddress(gang.Address, host.Port);
                return host;
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }
        var (address, port) = gang.WaitForStoreAddress();
        return TcpStore.Connect(address, port, gang.Rank, gang.WorldSize, gang.JoinTimeLeft);
    }

    private static bool IsCuda(TrainingOptions training) => Device.Parse(training.Device).Type == DeviceType.CUDA;
}
