using SlmOps.Torch.Distributed;

namespace SlmOps.Modeling.Training;

/// <summary>
/// Runs the N ranks of a data-parallel run inside this process, one thread per rank, joined by a Gloo group over
/// 127.0.0.1 (rank 0 hosts the store). This is how one worker with N devices (N CPU ranks here) runs a run of world
/// size N. Threads share libtorch's process-global CPU generator, so a rank that samples while training (tokens-mode
/// coupling, dropout) perturbs the others' draws: the result is still a valid run, but not bit-reproducible.
/// </summary>
public static class LocalGang
{
    /// <summary>
    /// Calls <paramref name="rank"/> on each rank's own thread and returns the results in rank order. When any rank
    /// fails, the others fail their next collective (at once when the failed rank's group closes, or after
    /// <paramref name="timeout"/>), and the failures are thrown together, the root cause (a failure that is not a
    /// collective's) first.
    /// </summary>
    /// <param name="nccl">Form an NCCL group (rank r trains on cuda:r) instead of Gloo.</param>
    public static T[] Run<T>(int worldSize, TimeSpan timeout, Func<DataParallel, T> rank, long bucketBytes = GradientBuckets.DefaultBucketBytes,
        bool nccl = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(worldSize);
        var results = new T[worldSize];
        var errors = new Exception?[worldSize];
        using var host = TcpStore.Host(worldSize, timeout);
        var threads = Enumerable.Range(0, worldSize).Select(r => new Thread(() =>
        {
            try
            {
                using var store = r == 0 ? null : TcpStore.Connect(host.HostName, host.Port, r, worldSize, timeout);
                Agreement.Check(store ?? host, "build", Agreement.Build(worldSize));
                using var group = nccl
                    ? ProcessGroup.Nccl(store ?? host, r, worldSize, timeout)
                    : ProcessGroup.Gloo(store ?? host, r, worldSize, timeout);
                results[r] = rank(new DataParallel(group, bucketBytes));
            }
            catch (Exception e)
            {
                errors[r] = e;
            }
        }) { Name = $"rank {r} of {worldSize}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var failures = errors.OfType<Exception>().OrderBy(e => e is DistributedException ? 1 : 0).ToList();
        // Every rank failing the same way (a bad config) reads best as that one failure.
        if (failures.Count > 0 && failures.All(f => f.Message == failures[0].Message))
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        if (failures.Count > 0)
            throw new AggregateException($"{failures.Count} of {worldSize} ranks failed; first: {failures[0].Message}", failures);
        return results;
    }
}
