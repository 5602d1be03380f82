namespace SlmOps.Web.Runs;

public static class RunsServiceExtensions
{
    /// <summary>The run dispatcher, and the run queries and actions the runs API and the dashboard share.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.AddSingleton<RunQueueTopology>();
        services.AddSingleton<IRunDispatcher, RunDispatcher>();
        services.AddScoped<RunQueries>();
        services.AddScoped<RunActions>();
        return services;
    }
}
