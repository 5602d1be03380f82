namespace SlmOps.Web.MlflowExport;

public static class MlflowServiceExtensions
{
    /// <summary>
    /// When <c>Mlflow:TrackingUri</c> is set: the typed <see cref="MlflowClient"/>, <see cref="IRunExporter"/> and the
    /// queue whose consumer enqueues an <see cref="MlflowExportJob"/> for each finished run (needs AddBackgroundJobs).
    /// Otherwise nothing is registered.
    /// </summary>
    public static IServiceCollection AddMlflowExport(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new MlflowOptions();
        configuration.GetSection(MlflowOptions.SectionName).Bind(options);
        if (string.IsNullOrWhiteSpace(options.TrackingUri)) return services;
        if (!Uri.TryCreate(options.TrackingUri.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress))
        {
            throw new InvalidOperationException(
                $"Mlflow:TrackingUri '{options.TrackingUri}' is not an absolute URI; set it like http://mlflow:5000 or leave it empty to turn the export off.");
        }

        services.AddSingleton(options);
        services.AddHttpClient<MlflowClient>(http =>
        {
            http.BaseAddress = baseAddress;
            http.Timeout = options.RequestTimeout;
        });
        services.AddTransient<IRunExporter, MlflowRunExporter>();
        services.AddHostedService<MlflowExportEndpoint>();
        return services;
    }
}
