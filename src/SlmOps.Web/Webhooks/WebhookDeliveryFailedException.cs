namespace SlmOps.Web.Webhooks;

/// <summary>Thrown by a delivery job whose attempt failed, so Hangfire retries it (or, after the last, marks it failed).</summary>
public sealed class WebhookDeliveryFailedException(Guid deliveryId, int attempt, string error)
    : Exception($"Webhook delivery {deliveryId}, attempt {attempt}: {error}");
