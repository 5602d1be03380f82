using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using SlmOps.Web.BackgroundJobs;

namespace SlmOps.Web.Sweeper;

public static class SweeperServiceExtensions
{
    /// <summary>
    /// The sweeper (<see cref="RunSweeper"/>) and the checkpoint pruner, and, when <c>Sweeper:Enabled</c> (default
    /// true), their recurring Hangfire jobs: <see cref="SweepRunsJob"/> every <c>Sweeper:Interval</c> and
    /// <see cref="PruneCheckpointsJob"/> every <c>Sweeper:PruneInterval</c>. Needs an <see cref="Runs.IRunDispatcher"/>
    /// and AddBackgroundJobs.
    /// </summary>
    public static IServiceCollection AddSweeper(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new SweeperOptions();
        configuration.GetSection(SweeperOptions.SectionName).Bind(options);
        options.WorkRoot ??= Path.Combine(ArtifactStoreExtensions.Root(configuration), "runs");

        var connectionString = configuration.GetConnectionString("Postgres") ?? "";
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddSingleton<CheckpointPruner>();
        services.AddSingleton<RunSweeper>();
        if (!options.Enabled) return services;

        services.AddRecurringJob<SweepRunsJob>(SweepRunsJob.Id, options.Interval, job => job.RunAsync(CancellationToken.None));
        services.AddRecurringJob<PruneCheckpointsJob>(PruneCheckpointsJob.Id, options.PruneInterval, job => job.RunAsync(CancellationToken.None));
        return services;
    }
}
