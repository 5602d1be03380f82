using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Webhooks;

namespace SlmOps.Web.Apis;

/// <summary>
/// Webhook subscriptions (admin): each alias change of a team's task models is POSTed to every url subscribed for that
/// team as JSON, signed with X-SlmOps-Signature: sha256=HMAC-SHA256(body, secret), and retried with exponential backoff.
/// </summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireApiRole(ApiKeyRole.Admin);
        group.MapPost("/", CreateWebhook).WithName(nameof(CreateWebhook))
            .WithSummary("Subscribe a url to a team's events (alias.changed of its task models; team defaults to the admin key's team); the secret (generated when absent) is returned only here")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/", ListWebhooks).WithName(nameof(ListWebhooks)).WithSummary("List webhook subscriptions (without secrets); team=NAME: only that team's");
        group.MapDelete("/{id:long}", DeleteWebhook).WithName(nameof(DeleteWebhook))
            .WithSummary("Remove a subscription and its deliveries").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/deliveries", ListWebhookDeliveries).WithName(nameof(ListWebhookDeliveries))
            .WithSummary($"A subscription's newest {WebhookStore.DeliveryPageSize} deliveries: status, attempts, last status code or error, next attempt")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Created<CreatedWebhookDto>> CreateWebhook(
        CreateWebhookRequest body, WebhookStore store, HttpContext context, CancellationToken ct)
    {
        var created = await store.CreateAsync(body, context.User.Identity?.Name ?? "anonymous",
            ApiKeyPrincipal.TeamOf(context.User) ?? Team.DefaultName, ct);
        return TypedResults.Created($"/api/v1/webhooks/{created.Id}", created);
    }

    public static async Task<Ok<IReadOnlyList<WebhookDto>>> ListWebhooks(WebhookStore store, CancellationToken ct, string? team = null) =>
        TypedResults.Ok(await store.ListAsync(ct, team));

    public static async Task<NoContent> DeleteWebhook(long id, WebhookStore store, HttpContext context, CancellationToken ct)
    {
        await store.DeleteAsync(id, context.User.Identity?.Name ?? "anonymous", ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<WebhookDeliveryDto>>> ListWebhookDeliveries(long id, WebhookStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListDeliveriesAsync(id, ct));
}
