using SlmOps.Web.Datasets;

namespace Microsoft.Extensions.DependencyInjection;

public static class DatasetServiceExtensions
{
    /// <summary>Datasets settings (Datasets:MaxUploadBytes) and the services behind the datasets API.</summary>
    public static IServiceCollection AddDatasets(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new DatasetOptions();
        configuration.GetSection(DatasetOptions.SectionName).Bind(options);
        services.AddSingleton(options);
        services.AddScoped<DatasetQueries>();
        services.AddScoped<DatasetVersionWriter>();
        services.AddScoped<MultipartDatasetReader>();
        services.AddScoped<DatasetFileIntake>();
        services.AddSingleton<DatasetPreviewReader>();
        return services;
    }
}
