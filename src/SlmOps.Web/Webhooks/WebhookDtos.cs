namespace SlmOps.Web.Webhooks;

/// <summary>
/// Body of POST /api/v1/webhooks; a missing secret is generated and returned once. Team: whose alias changes it hears
/// (default: the admin key's own team).
/// </summary>
public sealed record CreateWebhookRequest(string? Url, string? Secret, IReadOnlyList<string>? Events, string? Team = null);

/// <summary>A subscription as listed (never with its secret); it hears the alias changes of its team's task models.</summary>
public sealed record WebhookDto(long Id, string Url, IReadOnlyList<string> Events, string Team, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>The answer to creating a subscription: the only time the secret is shown.</summary>
public sealed record CreatedWebhookDto(
    long Id, string Url, IReadOnlyList<string> Events, string Team, string CreatedBy, DateTimeOffset CreatedAt, string Secret);

/// <summary>One notification and what became of it; status is pending, succeeded or failed.</summary>
public sealed record WebhookDeliveryDto(
    Guid Id, string Event, string Status, int Attempts, int? LastStatusCode, string? LastError, DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, System.Text.Json.JsonElement Payload);
