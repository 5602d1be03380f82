using System.Linq.Expressions;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;

namespace SlmOps.Web.BackgroundJobs;

public static class BackgroundJobsServiceExtensions
{
    /// <summary>
    /// Hangfire on PostgreSQL (schema <c>hangfire</c> of the SlmOps database): the job client every feature enqueues
    /// with, and, unless <c>Hangfire:ServerEnabled</c> is false (or ConnectionStrings:Postgres is set empty), a server
    /// that runs the jobs and the recurring jobs features declare with <see cref="AddRecurringJob{TJob}"/>.
    /// </summary>
    public static IServiceCollection AddBackgroundJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new BackgroundJobsOptions();
        configuration.GetSection(BackgroundJobsOptions.SectionName).Bind(options);
        var connectionString = configuration.GetConnectionString("Postgres") ?? "";
        services.AddSingleton(options);
        // Registered before AddHangfire, which keeps them: this host's own, not Hangfire's process-wide statics.
        services.AddSingleton<JobStorage>(_ => HangfireStorage.Create(connectionString, options));
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider, JobFilters>();
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogs(provider.GetRequiredService<ILoggerFactory>())));
        if (options.ServerEnabled && !string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddHostedService<BackgroundJobServerHost>();
        }
        return services;
    }

    /// <summary>Declares a recurring job: <paramref name="call"/> every <paramref name="interval"/>, under <paramref name="id"/> (shown in /hangfire).</summary>
    public static IServiceCollection AddRecurringJob<TJob>(
        this IServiceCollection services, string id, TimeSpan interval, Expression<Func<TJob, Task>> call) =>
        services.AddSingleton(new RecurringJobDefinition(id, Job.FromExpression(call), CronSchedule.Every(interval)));

    /// <summary>Retries the jobs of <typeparamref name="TJob"/> as <paramref name="retry"/> says, instead of Hangfire's default (10 attempts).</summary>
    public static IServiceCollection AddJobRetry<TJob>(this IServiceCollection services, AutomaticRetryAttribute retry) =>
        services.AddSingleton(new JobRetryRule(typeof(TJob), retry));
}
