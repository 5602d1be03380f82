using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace SlmOps.Web.BackgroundJobs;

/// <summary>
/// Hangfire's storage in schema <c>hangfire</c> of the SlmOps database, created and upgraded by Hangfire.PostgreSql
/// itself. A host whose database is down or not there yet still starts: the storage tries once, then again on first use.
/// </summary>
public static class HangfireStorage
{
    public static PostgreSqlStorage Create(string connectionString, BackgroundJobsOptions options)
    {
        var storage = new PostgreSqlStorageOptions
        {
            SchemaName = BackgroundJobsOptions.Schema,
            PrepareSchemaIfNecessary = true,
            // One quick retry at start, then degraded mode: initialisation is tried again lazily by each use.
            StartupConnectionMaxRetries = 1,
            StartupConnectionBaseDelay = TimeSpan.FromMilliseconds(100),
            AllowDegradedModeWithoutStorage = true,
            // Workers wait on LISTEN/NOTIFY, so an enqueued job starts at once, not at the next poll.
            EnableLongPolling = true,
            QueuePollInterval = options.QueuePollInterval,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = options.InvisibilityTimeout,
            DistributedLockTimeout = options.LockTimeout,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storage), storage);
    }
}
