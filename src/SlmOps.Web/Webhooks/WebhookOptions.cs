namespace SlmOps.Web.Webhooks;

/// <summary>Webhooks:* settings of the delivery dispatcher.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Off: deliveries are still recorded, nothing is sent.</summary>
    public bool DispatchEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait before the second attempt; it doubles after each failure (base, 2·base, 4·base, ...).</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After this many failed attempts a delivery is marked failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>How long one POST may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Due deliveries claimed per poll.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>Delay before retry number <paramref name="attempts"/>+1, after <paramref name="attempts"/> failures.</summary>
    public TimeSpan Backoff(int attempts) => RetryBase * Math.Pow(2, Math.Max(0, attempts - 1));
}
