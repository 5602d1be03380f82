using Hangfire;
using SlmOps.Web.BackgroundJobs;
using SlmOps.Web.Registry;
using SlmOps.Web.Webhooks;

namespace Microsoft.Extensions.DependencyInjection;

public static class WebhookServiceExtensions
{
    /// <summary>
    /// Webhook subscriptions, the outbox written with every alias change, the recurring drain that hands it to Hangfire
    /// and the delivery job with its retries (Webhooks:* settings). Needs AddBackgroundJobs.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new WebhookOptions();
        configuration.GetSection(WebhookOptions.SectionName).Bind(options);
        if (options.MaxAttempts < 1)
        {
            throw new InvalidOperationException($"Webhooks:MaxAttempts must be at least 1 (it is {options.MaxAttempts}).");
        }
        services.AddSingleton(options);
        services.AddScoped<WebhookStore>();
        services.AddScoped<IAliasChangeRecorder, WebhookOutbox>();
        services.AddSingleton<WebhookTargetGuard>();
        // Every connection goes through the guard (no proxy in between, no redirect followed to somewhere else).
        services.AddHttpClient(WebhookSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
        {
            ConnectCallback = provider.GetRequiredService<WebhookTargetGuard>().ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
        });
        services.AddSingleton<WebhookSender>();
        services.AddJobRetry<WebhookDeliveryJob>(new AutomaticRetryAttribute
        {
            Attempts = options.MaxAttempts - 1,
            DelayInSecondsByAttemptFunc = options.RetryDelaySeconds,
        });
        services.AddRecurringJob<WebhookOutboxDrain>(WebhookOutboxDrain.Id, options.DrainInterval, drain => drain.DrainAsync(CancellationToken.None));
        return services;
    }
}
