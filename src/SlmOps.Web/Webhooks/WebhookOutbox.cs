using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Webhooks;

/// <summary>
/// Writes one delivery per subscribed webhook inside the alias change's own transaction (an outbox): a change that
/// rolls back notifies nobody, and a committed one is delivered even if this process stops right after, because the
/// recurring <see cref="WebhookOutboxDrain"/> of any web instance hands it to Hangfire. Once the change has
/// committed, a drain is enqueued at once so receivers hear of it without waiting for the next recurring one. A
/// subscription hears only the changes of its own team's task models.
/// </summary>
internal sealed class WebhookOutbox(IBackgroundJobClient jobs, ILogger<WebhookOutbox> logger) : IAliasChangeRecorder
{
    private int _written;

    public async Task RecordAsync(SlmOpsDbContext db, AliasChange change, CancellationToken ct)
    {
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["event"] = WebhookEvents.AliasChanged, ["action"] = change.Action, ["task"] = change.Task, ["alias"] = change.Alias,
            ["from"] = change.FromVersion, ["to"] = change.ToVersion, ["forced"] = change.Forced, ["actor"] = change.Actor,
            ["reason"] = change.Reason, ["at"] = change.At,
        });
        _written += await db.Database.ExecuteSqlAsync($"""
            INSERT INTO webhooks.deliveries (id, subscription_id, event, payload)
            SELECT d.id, d.subscription_id, {WebhookEvents.AliasChanged}, {payload}::jsonb || jsonb_build_object('deliveryId', d.id)
            FROM (SELECT gen_random_uuid() AS id, s.id AS subscription_id FROM webhooks.subscriptions s
                  WHERE {WebhookEvents.AliasChanged} = ANY (s.events) AND s.team = {change.Team}) d
            """, ct);
    }

    public Task CommittedAsync(AliasChange change, CancellationToken ct)
    {
        if (_written == 0) return Task.CompletedTask;
        _written = 0;
        try
        {
            jobs.Enqueue<WebhookOutboxDrain>(drain => drain.DrainAsync(CancellationToken.None));
        }
        catch (Exception error)
        {
            // The deliveries are committed; the recurring drain sends them.
            logger.LogWarning("Could not enqueue the webhook drain after {Task}@{Alias} changed; the recurring drain will send it: {Reason}",
                change.Task, change.Alias, error.GetBaseException().Message);
        }
        return Task.CompletedTask;
    }
}
