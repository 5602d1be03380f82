using SlmOps.Web.Registry;
using SlmOps.Web.Webhooks;

namespace Microsoft.Extensions.DependencyInjection;

public static class WebhookServiceExtensions
{
    /// <summary>Webhook subscriptions, the outbox written with every alias change, and the dispatcher (Webhooks:* settings).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new WebhookOptions();
        configuration.GetSection(WebhookOptions.SectionName).Bind(options);
        services.AddSingleton(options);
        services.AddScoped<WebhookStore>();
        services.AddScoped<IAliasChangeRecorder, WebhookOutbox>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName);
        if (options.DispatchEnabled) services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
