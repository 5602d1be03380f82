using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SlmOps.Web.Sweeper;

namespace SlmOps.Web.Tests.Sweeper;

/// <summary>
/// Proves migrations/0002_quartz.sql is the schema Quartz 4.7.3 needs: a clustered scheduler on the AdoJobStore
/// validates it at start, stores a job with System.Text.Json job data, and fires it.
/// </summary>
public sealed class ClusteredSchedulerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_clustered_scheduler_on_the_migrated_schema_fires_a_stored_job()
    {
        await using var database = await MigratedDatabase.CreateAsync("quartz");
        await using var node = BuildNode(database.ConnectionString, sweepInterval: null);
        var scheduler = await node.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            var token = Guid.NewGuid().ToString();
            var job = JobBuilder.Create<SignalJob>().WithIdentity("signal", "tests").StoreDurably().UsingJobData("token", token).Build();
            var trigger = TriggerBuilder.Create().WithIdentity("signal-now", "tests").StartNow().Build();
            await scheduler.ScheduleJob(job, trigger);

            var fired = await SignalJob.WaitForAsync(token, Deadline);

            Assert.Equal(token, fired);
            Assert.Equal(1L, await database.ScalarAsync<long>(
                "SELECT count(*) FROM quartz.qrtz_job_details WHERE job_name = 'signal' AND job_group = 'tests'"));
            var instance = await database.ScalarAsync<string>("SELECT instance_name FROM quartz.qrtz_scheduler_state");
            Assert.Equal(scheduler.SchedulerInstanceId, instance);
            Assert.NotEqual("NON_CLUSTERED", instance);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
    }

    [Fact]
    public async Task Two_nodes_declaring_the_sweep_store_one_trigger_and_both_check_in()
    {
        await using var database = await MigratedDatabase.CreateAsync("quartz2");
        await using var first = BuildNode(database.ConnectionString, TimeSpan.FromHours(1));
        await using var second = BuildNode(database.ConnectionString, TimeSpan.FromHours(1));
        var schedulers = new[]
        {
            await first.GetRequiredService<ISchedulerFactory>().GetScheduler(),
            await second.GetRequiredService<ISchedulerFactory>().GetScheduler(),
        };
        try
        {
            foreach (var scheduler in schedulers) await scheduler.Start();

            Assert.NotEqual(schedulers[0].SchedulerInstanceId, schedulers[1].SchedulerInstanceId);
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM quartz.qrtz_triggers"));
            Assert.Equal(1L, await database.ScalarAsync<long>(
                "SELECT count(*) FROM quartz.qrtz_triggers WHERE trigger_name = @name AND job_name = @job",
                ("name", SweepRunsJob.TriggerKey.Name), ("job", SweepRunsJob.Key.Name)));
            Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM quartz.qrtz_scheduler_state"));
        }
        finally
        {
            foreach (var scheduler in schedulers) await scheduler.Shutdown(waitForJobsToComplete: true);
        }
    }

    private static ServiceProvider BuildNode(string connectionString, TimeSpan? sweepInterval)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddQuartz(quartz =>
        {
            quartz.UseSlmOpsClusteredStore(connectionString);
            if (sweepInterval is { } interval) quartz.ScheduleSweep(interval);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>Completes the waiter registered for the token found in its job data.</summary>
    public sealed class SignalJob : IJob
    {
        private static readonly ConcurrentDictionary<string, TaskCompletionSource<string>> Waiters = new();

        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var token = context.MergedJobDataMap.GetString("token")!;
            Waiter(token).TrySetResult(token);
            return ValueTask.CompletedTask;
        }

        public static Task<string> WaitForAsync(string token, TimeSpan deadline) => Waiter(token).Task.WaitAsync(deadline);

        private static TaskCompletionSource<string> Waiter(string token) =>
            Waiters.GetOrAdd(token, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
