namespace SlmOps.Web.Runs;

public static class RunsServiceExtensions
{
    /// <summary>The run limits (Runs:Limits), the run dispatcher, and the run queries and actions the runs API and the dashboard share.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.AddSingleton<RunQueueTopology>();
        services.AddSingleton(provider =>
        {
            var limits = new RunLimits();
            provider.GetRequiredService<IConfiguration>().GetSection(RunLimits.SectionName).Bind(limits);
            return limits;
        });
        services.AddSingleton<IRunDispatcher, RunDispatcher>();
        services.AddScoped<RunQueries>();
        services.AddScoped<RunActions>();
        services.AddScoped<TeamQuotas>();
        return services;
    }
}
