using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Webhooks;

/// <summary>
/// Writes one delivery per subscribed webhook inside the alias change's own transaction (an outbox): a change that
/// rolls back notifies nobody, and a committed one is delivered even if this process stops right after.
/// </summary>
internal sealed class WebhookOutbox : IAliasChangeRecorder
{
    public Task RecordAsync(SlmOpsDbContext db, AliasChange change, CancellationToken ct)
    {
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["event"] = WebhookEvents.AliasChanged, ["action"] = change.Action, ["task"] = change.Task, ["alias"] = change.Alias,
            ["from"] = change.FromVersion, ["to"] = change.ToVersion, ["forced"] = change.Forced, ["actor"] = change.Actor,
            ["reason"] = change.Reason, ["at"] = change.At,
        });
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO webhooks.deliveries (id, subscription_id, event, payload)
            SELECT d.id, d.subscription_id, {WebhookEvents.AliasChanged}, {payload}::jsonb || jsonb_build_object('deliveryId', d.id)
            FROM (SELECT gen_random_uuid() AS id, s.id AS subscription_id FROM webhooks.subscriptions s
                  WHERE {WebhookEvents.AliasChanged} = ANY (s.events)) d
            """, ct);
    }
}
