using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SlmOps.Web.Registry;

namespace Microsoft.Extensions.DependencyInjection;

public static class RegistryServiceExtensions
{
    /// <summary>The registry's services: the SLM version resolver, model queries, aliases, audit, and problem details for registry errors.</summary>
    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<SlmVersionResolver>();
        services.AddScoped<BaseModelQueries>();
        services.AddScoped<TaskModelQueries>();
        services.AddScoped<AliasService>();
        services.AddScoped<AuditQueries>();
        services.AddSingleton<DeploymentIdentity>();
        services.AddScoped<IAliasChangeRecorder, AliasMovedPublisher>();
        // Exception handlers run in registration order and the catch-all one answers 500 for everything, so this
        // one goes first wherever AddRegistry is called.
        services.Insert(0, ServiceDescriptor.Singleton<IExceptionHandler, RegistryExceptionHandler>());
        return services;
    }
}
