namespace SlmOps.Web.Registry;

/// <summary>audit_log.entity_kind values.</summary>
public static class AuditEntityKinds
{
    /// <summary>Alias moves (the registry).</summary>
    public const string Alias = "alias";

    /// <summary>API key issue and revoke (<see cref="SlmOps.Web.Auth.ApiKeyService"/>): names, roles, prefixes, expiries.</summary>
    public const string ApiKey = "api_key";

    /// <summary>Webhook subscribe and delete (<see cref="SlmOps.Web.Webhooks.WebhookStore"/>): target urls.</summary>
    public const string Webhook = "webhook";

    /// <summary>Teams (<see cref="SlmOps.Web.Teams.TeamService"/>): create, update, platform, delete.</summary>
    public const string Team = "team";

    /// <summary>Read shares of a dataset or task model granted to another team, and their removal (<see cref="SlmOps.Web.Teams.ShareService"/>).</summary>
    public const string Share = "share";

    /// <summary>Kinds only admins may read: they describe the deployment's credentials and where it sends data.</summary>
    public static readonly IReadOnlyList<string> AdminOnly = [ApiKey, Webhook];
}
