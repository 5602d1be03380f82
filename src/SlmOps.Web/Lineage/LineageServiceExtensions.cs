using SlmOps.Web.Lineage;

namespace Microsoft.Extensions.DependencyInjection;

public static class LineageServiceExtensions
{
    public static IServiceCollection AddLineage(this IServiceCollection services)
    {
        services.AddScoped<LineageLabels>();
        services.AddScoped<LineageGraphReader>();
        services.AddScoped<LineageVisibility>();
        return services;
    }
}
