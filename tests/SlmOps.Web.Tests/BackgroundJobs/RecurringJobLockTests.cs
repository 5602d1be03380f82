using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SlmOps.Web.BackgroundJobs;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeper;
using SlmOps.Web.Tests.Sweeper;

namespace SlmOps.Web.Tests.BackgroundJobs;

/// <summary>
/// Two web instances' Hangfire servers on one database: the recurring sweep, fired by its schedule and enqueued from
/// both at once, runs on either of them but never twice at the same time (Hangfire's distributed lock).
/// </summary>
public sealed class RecurringJobLockTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly Dictionary<string, string?> FourWorkers = new() { ["Hangfire:WorkerCount"] = "4" };

    [Fact]
    public async Task Two_servers_on_one_database_never_run_the_sweep_concurrently()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("hangfirelock");
        // A queued run whose command was "lost": every sweep re-dispatches it, and the probe stays inside each dispatch a while.
        await RunSweeperTests.InsertRunAsync(database, "Queued", queuedAgo: "1 hour");
        var probe = new OverlapProbe();
        using var first = await SweeperNode.StartAsync(database.ConnectionString, probe, FourWorkers);
        using var second = await SweeperNode.StartAsync(database.ConnectionString, probe, FourWorkers);

        // Besides its schedule, the sweep is enqueued six times at once from both nodes: eight workers could take them together.
        foreach (var node in new[] { first, second, first, second, first, second })
        {
            node.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SweepRunsJob>(job => job.RunAsync(CancellationToken.None));
        }
        var until = DateTime.UtcNow + Deadline;
        while (probe.Sweeps < 8 && DateTime.UtcNow < until) await Task.Delay(100);

        Assert.True(probe.Sweeps >= 8, $"only {probe.Sweeps} sweeps within {Deadline}");
        Assert.Equal(1, probe.MostAtOnce);
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"));
        await first.StopAsync();
        await second.StopAsync();
    }

    /// <summary>Counts dispatches (one per sweep here) and the most that were in progress at the same moment.</summary>
    private sealed class OverlapProbe : IRunDispatcher
    {
        private int _inside;
        private int _sweeps;
        private int _mostAtOnce;

        public int Sweeps => Volatile.Read(ref _sweeps);
        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public Task DispatchRankAsync(Guid runId, int attempt, int rank, CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task<bool> DispatchAsync(Guid runId, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inside);
            int seen;
            while (now > (seen = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
            {
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            Interlocked.Decrement(ref _inside);
            Interlocked.Increment(ref _sweeps);
            return false; // never marked dispatched, so the next sweep finds it again
        }
    }
}
