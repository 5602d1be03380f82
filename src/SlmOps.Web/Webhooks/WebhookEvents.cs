namespace SlmOps.Web.Webhooks;

/// <summary>Events a webhook can subscribe to.</summary>
public static class WebhookEvents
{
    public const string AliasChanged = "alias.changed";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { AliasChanged };
}
