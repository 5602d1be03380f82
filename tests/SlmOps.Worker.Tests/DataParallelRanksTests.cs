using System.Collections.Concurrent;
using SlmOps.Contracts.Runs;
using SlmOps.Modeling.Jobs;
using SlmOps.Modeling.Training;
using SlmOps.Worker.Runs.Handlers;

namespace SlmOps.Worker.Tests;

// distributed.worldSize N on one worker: N ranks here, rank 0's outcome is the run's; too few GPUs fail the run saying so.
public sealed class DataParallelRanksTests
{
    private static JobOutcome Outcome(string dir) =>
        new(new TrainingResult(1, false, [1.0], [], 1, 1, 1), dir, new Dictionary<string, string>());

    [Fact]
    public void Without_distributed_the_job_runs_once_on_its_own()
    {
        var calls = new ConcurrentBag<DataParallel?>();

        var outcome = DataParallelRanks.RunLocal(null, new TrainingOptions(), (_, dp) => { calls.Add(dp); return Outcome("single"); });

        Assert.Equal("single", outcome.OutputDir);
        Assert.Equal([null], calls);
    }

    [Fact]
    public void Two_cpu_ranks_run_here_over_one_group_and_rank_0s_outcome_is_the_runs()
    {
        var seen = new ConcurrentBag<(int Rank, int World, string Device)>();
        var log = new List<string>();

        var outcome = DataParallelRanks.RunLocal(new DistributedSpec { WorldSize = 2 }, new TrainingOptions { Device = "cpu" }, (training, dp) =>
        {
            dp!.Group.Barrier(); // both ranks are in the same group
            seen.Add((dp.Rank, dp.WorldSize, training.Device));
            return Outcome($"rank-{dp.Rank}");
        }, log.Add);

        Assert.Equal("rank-0", outcome.OutputDir);
        Assert.Equal(["Training data-parallel: 2 ranks on this worker's CPU, Gloo over 127.0.0.1"], log);
        Assert.Equal([(0, 2, "cpu"), (1, 2, "cpu")], seen.OrderBy(s => s.Rank));
    }

    [Fact]
    public void A_cuda_run_needs_as_many_gpus_as_ranks_on_this_worker()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DataParallelRanks.RunLocal(new DistributedSpec { WorldSize = 2 },
            new TrainingOptions { Device = "cuda" }, (_, _) => Outcome("never"), cudaDevices: 1));

        Assert.Contains("needs 2 CUDA devices", error.Message);
        Assert.Contains("this worker has 1", error.Message);
    }
}
