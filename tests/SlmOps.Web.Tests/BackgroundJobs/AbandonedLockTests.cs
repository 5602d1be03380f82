using Microsoft.Extensions.Hosting;
using SlmOps.Web.BackgroundJobs;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Tests.BackgroundJobs;

/// <summary>
/// Issue 17's chaos soak: PostgreSQL restarted while the recurring-job scheduler held its lock; the lock's row stayed,
/// and no sweep ran for the 10 minutes of Hangfire.PostgreSql's default lock timeout, so runs of killed workers stayed
/// Running. A lock left behind like that is now taken over after Hangfire:LockTimeout.
/// </summary>
public sealed class AbandonedLockTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_default_lock_timeout_is_a_minute_not_hangfires_ten() =>
        Assert.Equal(TimeSpan.FromMinutes(1), new BackgroundJobsOptions().LockTimeout);

    [Fact]
    public async Task Sweeps_resume_once_a_lock_left_by_a_broken_connection_is_older_than_the_lock_timeout()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("abandonedlock");
        await Tests.Sweeper.RunSweeperTests.InsertRunAsync(database, "Queued", queuedAgo: "1 hour"); // every sweep re-dispatches it
        var sweeps = new CountingDispatcher();
        using var host = await SweeperNode.StartAsync(database.ConnectionString, sweeps, new Dictionary<string, string?> { ["Hangfire:LockTimeout"] = "00:00:05" });
        await WaitAsync(() => sweeps.Count > 0, "a first sweep");

        // What a server leaves when its connection breaks between taking the scheduler's lock and releasing it.
        await database.ExecuteAsync("INSERT INTO hangfire.lock (resource, updatecount, acquired) VALUES ('hangfire:recurring-jobs:lock', 0, now()) " +
                                    "ON CONFLICT (resource) DO UPDATE SET acquired = now()");
        var before = sweeps.Count;
        await Task.Delay(TimeSpan.FromSeconds(2)); // sweeps already enqueued may still finish; then none until the lock goes
        await WaitAsync(() => sweeps.Count > before + 2, "sweeps after the abandoned lock");

        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM hangfire.lock WHERE resource = 'hangfire:recurring-jobs:lock' AND acquired < now() - interval '5 seconds'"));
        await host.StopAsync();
    }

    private static async Task WaitAsync(Func<bool> done, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!done() && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.True(done(), $"no {what} within {Deadline}");
    }

    private sealed class CountingDispatcher : IRunDispatcher
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);

        public Task DispatchRankAsync(Guid runId, int attempt, int rank, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> DispatchAsync(Guid runId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(false);
        }
    }
}
