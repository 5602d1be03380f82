using System.Net;
using System.Net.Http.Json;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Auth;
using SlmOps.Web.Webhooks;

namespace SlmOps.Web.Tests.Registry;

/// <summary>Key and webhook entries tell who holds which role and where the deployment sends data: admins only.</summary>
public sealed class AdminOnlyAuditTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Key_and_webhook_entries_are_listed_to_admins_and_to_nobody_below()
    {
        using var admin = host.CreateClient();
        await SubscribeAsync(admin);
        var alias = await host.ScalarAsync<long>(
            "INSERT INTO audit_log (actor, action, entity_kind, entity_id) VALUES ('test', 'alias.set', 'alias', 'visible@staging') RETURNING id");

        var all = await ListAsync(admin, "");
        Assert.Contains(all.Items, e => e.EntityKind == AuditEntityKinds.ApiKey);
        Assert.Contains(all.Items, e => e.EntityKind == AuditEntityKinds.Webhook);

        foreach (var role in new[] { ApiKeyRole.Viewer, ApiKeyRole.Editor, ApiKeyRole.Promoter })
        {
            using var client = await host.CreateClientAsync(role);
            foreach (var kind in AuditEntityKinds.AdminOnly)
            {
                var filtered = await ListAsync(client, $"entityKind={kind}");
                Assert.True(filtered.Total == 0 && filtered.Items.Count == 0, $"{role} read {filtered.Total} {kind} entries");
            }
            var unfiltered = await ListAsync(client, "");
            Assert.DoesNotContain(unfiltered.Items, e => AuditEntityKinds.AdminOnly.Contains(e.EntityKind));
            Assert.Contains(unfiltered.Items, e => e.Id == alias);
        }
    }

    [Fact]
    public async Task Creating_and_deleting_a_webhook_is_audited_with_the_actor_and_without_the_secret()
    {
        using var admin = host.CreateClient();
        var hook = await SubscribeAsync(admin);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{hook.Id}")).StatusCode);

        var entries = (await ListAsync(admin, $"entityKind={AuditEntityKinds.Webhook}")).Items
            .Where(e => e.EntityId == hook.Id.ToString()).OrderBy(e => e.Id).ToList();
        Assert.Equal(new[] { "webhook.create", "webhook.delete" }, entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(TestKeys.AdminName, e.Actor));
        var (created, deleted) = (entries[0], entries[1]);
        Assert.Null(created.Before);
        Assert.Equal(hook.Url, created.After!.Value.GetProperty("url").GetString());
        Assert.Equal("alias.changed", created.After.Value.GetProperty("events")[0].GetString());
        Assert.Null(deleted.After);
        Assert.Equal(hook.Url, deleted.Before!.Value.GetProperty("url").GetString());
        Assert.All(entries, e => Assert.DoesNotContain(hook.Secret, $"{e.Before} {e.After}"));

        // A second delete finds nothing and writes nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/webhooks/{hook.Id}")).StatusCode);
        Assert.Equal(1L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'webhook.delete' AND entity_id = $1", hook.Id.ToString()));
    }

    private static async Task<CreatedWebhookDto> SubscribeAsync(HttpClient admin)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/slmops", events = new[] { "alias.changed" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ApiTestHost.ReadAsync<CreatedWebhookDto>(response);
    }

    private static async Task<AuditPageDto> ListAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?limit=500&{query}", ApiTestHost.Json))!;
}
