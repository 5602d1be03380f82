using Quartz;

namespace SlmOps.Web.Sweeper;

/// <summary>
/// Quartz clustered on PostgreSQL: the AdoJobStore over migrations/0002_quartz.sql (schema <c>quartz</c>), with
/// instance ids Quartz generates and job data serialised by System.Text.Json. Every node of the cluster runs
/// this same configuration; the sweep's job and trigger are declared here and nowhere else, under fixed keys,
/// so each node stores the same trigger instead of adding one of its own.
/// </summary>
public static class ClusteredQuartz
{
    public const string SchedulerName = "slmops";
    public const string TablePrefix = "quartz.qrtz_";

    public static IQuartzBuilder UseSlmOpsClusteredStore(
        this IQuartzBuilder quartz, string connectionString)
    {
        quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = SchedulerName);
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(postgres => postgres.ConnectionString = connectionString);
            store.ConfigureStore(ado => ado.TablePrefix = TablePrefix);
            store.UseSystemTextJsonSerializer();
            store.UseClustering();
        });
        return quartz;
    }

    public static IQuartzBuilder ScheduleSweep(this IQuartzBuilder quartz, TimeSpan interval)
    {
        quartz.ScheduleJob<SweepRunsJob>(
            trigger => trigger
                .WithIdentity(SweepRunsJob.TriggerKey)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(interval).RepeatForever()),
            job => job.WithIdentity(SweepRunsJob.Key).WithDescription("Re-queues runs whose worker was lost, re-sends lost commands, prunes old checkpoints."));
        return quartz;
    }
}
