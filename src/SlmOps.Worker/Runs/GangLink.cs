using SlmOps.Contracts.Workers;
using SlmOps.Torch.Distributed;
using SlmOps.Worker.Tracking;

namespace SlmOps.Worker.Runs;

/// <summary>
/// A gang rank's rendezvous through the web host, on the training thread: rank 0 publishes the address of the store it
/// hosts, the other ranks wait for it, and every rank says when its process group formed. A gang the web host has
/// released (or a join that runs out of time) ends the rank with a <see cref="DistributedException"/>, which the executor
/// reports as a failure another attempt may not repeat.
/// </summary>
public sealed class GangLink(TrackingClient tracking, Guid runId, int attempt, GangAssignment gang, string worker, string address, CancellationToken ct)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public int Rank => gang.Rank;
    public int WorldSize => gang.WorldSize;

    /// <summary>This worker's address as the others reach it (Worker:Address): where rank 0's store listens and Gloo binds.</summary>
    public string Address => address;

    /// <summary>What is left of the join timeout, from the claim's answer (the web host counts it from rank 0's claim).</summary>
    public TimeSpan JoinTimeout { get; } = JoinTime(gang);

    public TimeSpan CollectiveTimeout => TimeSpan.FromSeconds(gang.CollectiveTimeoutSeconds);

    private readonly DateTimeOffset _deadline = DateTimeOffset.UtcNow + JoinTime(gang);

    private static TimeSpan JoinTime(GangAssignment gang) => TimeSpan.FromSeconds(Math.Max(1, gang.JoinSecondsLeft));

    public void PublishStoreAddress(string host, int port) => Report(new GangReport(attempt, Rank, worker, $"{host}:{port}"));

    /// <summary>Rank 0's store address, once it is published; throws when the join time runs out or the gang was released.</summary>
    public (string Host, int Port) WaitForStoreAddress()
    {
        while (true)
        {
            var state = Report(new GangReport(attempt, Rank, worker));
            if (state.StoreAddress is { } published)
            {
                var colon = published.LastIndexOf(':');
                return (published[..colon], int.Parse(published[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            }
            if (DateTimeOffset.UtcNow >= _deadline)
                throw new DistributedException(Rank, WorldSize, "join the gang", $"rank 0 published no store address within the join timeout ({JoinTimeout.TotalSeconds:0} s)");
            Task.Delay(PollInterval, ct).GetAwaiter().GetResult();
        }
    }

    /// <summary>Time left to the join deadline (at least a second, so the store's own timeout names the wait).</summary>
    public TimeSpan JoinTimeLeft => TimeSpan.FromSeconds(Math.Max(1, (_deadline - DateTimeOffset.UtcNow).TotalSeconds));

    public void Joined() => Report(new GangReport(attempt, Rank, worker, Joined: true));

    private GangState Report(GangReport report)
    {
        var state = tracking.GangAsync(runId, report, ct).GetAwaiter().GetResult();
        if (!state.Holds)
            throw new DistributedException(Rank, WorldSize, "join the gang", "the web host released this gang's claims (it did not form in time, or the run was re-queued or ended)");
        return state;
    }
}
