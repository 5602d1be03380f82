using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Quartz;
using SlmOps.Data.Hosting;

namespace SlmOps.Web.Sweeper;

public static class SweeperServiceExtensions
{
    /// <summary>
    /// The sweeper (<see cref="RunSweeper"/>) and, when <c>Sweeper:Enabled</c> (default true), the clustered Quartz
    /// scheduler that runs it every <c>Sweeper:Interval</c> (not when ConnectionStrings:Postgres is set empty).
    /// Needs an <see cref="Runs.IRunDispatcher"/> registered.
    /// </summary>
    public static IServiceCollection AddSweeper(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new SweeperOptions();
        configuration.GetSection(SweeperOptions.SectionName).Bind(options);
        // The same default root as the artifact store and the worker's ArtifactLayout.
        options.WorkRoot ??= Path.Combine(
            configuration["Artifacts:Root"] is { Length: > 0 } artifacts ? artifacts : ".slmops/artifacts", "runs");

        var connectionString = configuration.GetConnectionString("Postgres") ?? SlmOpsDataOptions.DevelopmentConnectionString;
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddSingleton<CheckpointPruner>();
        services.AddSingleton<RunSweeper>();
        // Without a database there is nothing to sweep; readiness names the missing setting.
        if (!options.Enabled || string.IsNullOrWhiteSpace(connectionString)) return services;

        services.AddQuartz(quartz => quartz.UseSlmOpsClusteredStore(connectionString).ScheduleSweep(options.Interval));
        services.AddHostedService<SchedulerHostedService>();
        return services;
    }
}
