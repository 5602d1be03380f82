namespace SlmOps.Web.Webhooks;

/// <summary>Webhooks:* settings of the delivery jobs and the outbox drain.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Wait before the second attempt; it doubles after each failure (base, 2·base, 4·base, ...), in whole seconds.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After this many failed attempts a delivery is marked failed (and its Hangfire job too).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>How long one POST may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the recurring drain hands deliveries that no job has yet to Hangfire. Each alias change also drains
    /// right after it commits, so this only matters when a host stopped in between.
    /// </summary>
    public TimeSpan DrainInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Allow webhook urls at loopback, link-local, private, unique-local, multicast or unspecified addresses (off: only
    /// public receivers, see <see cref="WebhookTargetGuard"/>). For installations whose receivers live inside, and tests.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Deliveries handed to Hangfire per statement of a drain.</summary>
    public int DrainBatchSize { get; set; } = 100;

    /// <summary>Seconds Hangfire waits before retry number <paramref name="failures"/> (after that many failures).</summary>
    public int RetryDelaySeconds(long failures) =>
        (int)Math.Round((RetryBase * Math.Pow(2, Math.Max(0, failures - 1))).TotalSeconds, MidpointRounding.AwayFromZero);
}
