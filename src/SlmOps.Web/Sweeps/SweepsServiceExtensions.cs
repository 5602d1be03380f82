using SlmOps.Web.BackgroundJobs;
using SlmOps.Web.Runs;
using SlmOps.Web.Tracking;

namespace SlmOps.Web.Sweeps;

public static class SweepsServiceExtensions
{
    /// <summary>
    /// Sweeps (Sweeps:*): the scheduler, the early-stopping judge that follows trials' heartbeats, the observer that
    /// advances a sweep when a trial ends or the sweep is cancelled, and the recurring <c>advance-sweeps</c> job.
    /// Needs AddRuns, AddTracking and AddBackgroundJobs.
    /// </summary>
    public static IServiceCollection AddSweeps(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new SweepOptions();
        configuration.GetSection(SweepOptions.SectionName).Bind(options);
        services.AddSingleton(options);
        services.AddScoped<SweepQueries>();
        services.AddScoped<SweepScheduler>();
        services.AddScoped<SweepTrialJudge>();
        services.AddScoped<IRunMetricsObserver>(provider => provider.GetRequiredService<SweepTrialJudge>());
        services.AddScoped<IRunObserver, SweepRunObserver>();
        services.AddScoped<SweepJobs>();
        services.AddRecurringJob<SweepJobs>(SweepJobs.RecurringId, options.Interval, job => job.AdvanceAllAsync(CancellationToken.None));
        return services;
    }
}
