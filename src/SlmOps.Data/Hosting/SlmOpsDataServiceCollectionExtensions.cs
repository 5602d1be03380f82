using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using SlmOps.Data.Hosting;
using SlmOps.Data.Metrics;
using SlmOps.Data.Migrations;

// In the DI namespace so hosts find AddSlmOpsData without another using.
namespace Microsoft.Extensions.DependencyInjection;

public static class SlmOpsDataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the PostgreSQL data source (ConnectionStrings:Postgres), <see cref="SlmOps.Data.SlmOpsDbContext"/>
    /// (scoped, plus an IDbContextFactory for Blazor components and background work), the
    /// <see cref="MigrationRunner"/>, the <see cref="RunMetricWriter"/> and the <see cref="MetricIngester"/> that
    /// coalesces concurrent callers' points into shared writes, and — when Database:MigrateOnStartup is true
    /// (the default) — a hosted service that migrates before the host's later hosted services start.
    /// </summary>
    public static IServiceCollection AddSlmOpsData(
        this IServiceCollection services, IConfiguration configuration, Action<SlmOpsDataOptions>? configure = null)
    {
        var options = new SlmOpsDataOptions();
        configuration.GetSection(SlmOpsDataOptions.SectionName).Bind(options);
        configure?.Invoke(options);
        services.AddSingleton(options);

        var connectionString = configuration.GetConnectionString("Postgres") ?? "";
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddDbContextFactory<SlmOps.Data.SlmOpsDbContext>(
            (provider, builder) => builder.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));

        services.AddSingleton<RunMetricWriter>();
        services.AddSingleton<MetricIngester>();
        services.AddSingleton(provider => new MigrationRunner(
            connectionString,
            options.MigrationsDirectory ?? MigrationRunner.DefaultMigrationsDirectory,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<MigrationRunner>()));

        if (options.MigrateOnStartup)
        {
            services.AddHostedService<MigrateOnStartupService>();
        }

        return services;
    }
}
