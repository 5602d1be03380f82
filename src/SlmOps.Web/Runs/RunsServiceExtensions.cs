namespace SlmOps.Web.Runs;

public static class RunsServiceExtensions
{
    /// <summary>The run dispatcher and the validation the runs API uses.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.AddSingleton<RunQueueTopology>();
        services.AddSingleton<IRunDispatcher, RunDispatcher>();
        return services;
    }
}
