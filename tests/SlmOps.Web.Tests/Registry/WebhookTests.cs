using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Webhooks;

namespace SlmOps.Web.Tests.Registry;

/// <summary>
/// Fast deliveries: retried at once (RetryBase under half a second rounds to no delay), given up after 3 attempts; the
/// receivers are on loopback, so private targets are allowed.
/// </summary>
public sealed class WebhookTestHost : RegistryTestHost
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Webhooks:RetryBase"] = "00:00:00.1",
        ["Webhooks:MaxAttempts"] = "3",
        ["Webhooks:AllowPrivateTargets"] = "true",
    };
}

public sealed class WebhookTests(WebhookTestHost host) : IClassFixture<WebhookTestHost>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task An_alias_change_is_posted_signed_and_recorded_as_succeeded()
    {
        await using var receiver = new WebhookReceiver();
        var hook = await SubscribeAsync(receiver, secret: null);
        var task = await host.SeedTaskAsync("hooked", RegistryTestHost.Evaluated(host.DatasetVersionA, 1.0));

        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/production", new { version = 1 })).EnsureSuccessStatusCode();
        var delivery = await WaitForAsync(hook.Id, d => d.Status != "pending");
        await DeleteAsync(hook.Id);

        Assert.Equal(("succeeded", 1, (int?)200), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        var received = Assert.Single(receiver.Requests, r => r.DeliveryId == delivery.Id.ToString());
        Assert.True(received.SignatureValid, $"signature {received.Signature} does not match the body");
        using var body = JsonDocument.Parse(received.Body);
        var root = body.RootElement;
        var history = await _client.GetFromJsonAsync<List<SlmOps.Web.Registry.AliasHistoryDto>>($"/api/v1/task-models/{task}/aliases/production/history", ApiTestHost.Json);
        Assert.Equal(("alias.changed", "alias.set", task, "production", Assert.Single(history!).Actor),
            (root.GetProperty("event").GetString(), root.GetProperty("action").GetString(), root.GetProperty("task").GetString(),
             root.GetProperty("alias").GetString(), root.GetProperty("actor").GetString()));
        Assert.Equal((JsonValueKind.Null, 1), (root.GetProperty("from").ValueKind, root.GetProperty("to").GetInt32()));
        Assert.Equal(delivery.Id.ToString(), root.GetProperty("deliveryId").GetString());
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_a_third_attempt_that_succeeds()
    {
        await using var receiver = new WebhookReceiver(failFirst: 2);
        var hook = await SubscribeAsync(receiver, secret: "a-secret-of-our-own-choosing");
        var task = await host.SeedTaskAsync("flaky-receiver", "{}");

        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 1 })).EnsureSuccessStatusCode();
        var delivery = await WaitForAsync(hook.Id, d => d.Status != "pending");
        await DeleteAsync(hook.Id);

        Assert.Equal(("succeeded", 3, (int?)200), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        Assert.Equal(new[] { 500, 500, 200 }, receiver.Requests.Select(r => r.AnsweredWith));
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid));
        Assert.Single(receiver.Requests.Select(r => r.DeliveryId).Distinct());
    }

    [Fact]
    public async Task A_receiver_that_always_fails_is_given_up_after_the_maximum_attempts()
    {
        await using var receiver = new WebhookReceiver(failFirst: int.MaxValue);
        var hook = await SubscribeAsync(receiver, secret: null);
        var task = await host.SeedTaskAsync("dead-receiver", "{}");

        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 1 })).EnsureSuccessStatusCode();
        var delivery = await WaitForAsync(hook.Id, d => d.Status != "pending");
        await DeleteAsync(hook.Id);

        Assert.Equal(("failed", 3, (int?)500), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        Assert.Contains("500", delivery.LastError);
    }

    [Fact]
    public async Task A_refused_promotion_notifies_nobody()
    {
        await using var receiver = new WebhookReceiver();
        var hook = await SubscribeAsync(receiver, secret: null);
        var task = await host.SeedTaskAsync("refused", "{}");

        var refused = await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/production", new { version = 1 });
        var deliveries = await _client.GetFromJsonAsync<List<WebhookDeliveryDto>>($"/api/v1/webhooks/{hook.Id}/deliveries", ApiTestHost.Json);
        await DeleteAsync(hook.Id);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Empty(deliveries!);
    }

    [Fact]
    public async Task Subscriptions_are_validated_listed_without_secrets_and_deleted()
    {
        var badUrl = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url = "ftp://example.com", events = new[] { "alias.changed" } });
        var badEvent = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/x", events = new[] { "run.done" } });
        var shortSecret = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/x", secret = "short", events = new[] { "alias.changed" } });
        var created = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/x", events = new[] { "alias.changed" } });
        var hook = await ApiTestHost.ReadAsync<CreatedWebhookDto>(created);
        var listed = await _client.GetStringAsync("/api/v1/webhooks");
        var deleted = await _client.DeleteAsync($"/api/v1/webhooks/{hook.Id}");
        var again = await _client.DeleteAsync($"/api/v1/webhooks/{hook.Id}");
        var deliveries = await _client.GetAsync($"/api/v1/webhooks/{hook.Id}/deliveries");

        Assert.Contains("absolute http or https", (await ApiTestHost.ReadAsync<Problem>(badUrl)).Detail);
        Assert.Contains("alias.changed", (await ApiTestHost.ReadAsync<Problem>(badEvent)).Detail);
        Assert.Equal(HttpStatusCode.BadRequest, shortSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(64, hook.Secret.Length);
        Assert.Contains($"\"id\":{hook.Id}", listed);
        Assert.DoesNotContain(hook.Secret, listed);
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (deleted.StatusCode, again.StatusCode, deliveries.StatusCode));
    }

    private async Task<CreatedWebhookDto> SubscribeAsync(WebhookReceiver receiver, string? secret)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, secret, events = new[] { "alias.changed" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var hook = await ApiTestHost.ReadAsync<CreatedWebhookDto>(response);
        receiver.Secret = hook.Secret;
        return hook;
    }

    private async Task DeleteAsync(long id) => (await _client.DeleteAsync($"/api/v1/webhooks/{id}")).EnsureSuccessStatusCode();

    private async Task<WebhookDeliveryDto> WaitForAsync(long hookId, Func<WebhookDeliveryDto, bool> done)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var deliveries = await _client.GetFromJsonAsync<List<WebhookDeliveryDto>>($"/api/v1/webhooks/{hookId}/deliveries", ApiTestHost.Json);
            if (deliveries is [var only] && done(only)) return only;
            Assert.True(DateTime.UtcNow < until, $"No finished delivery within {Deadline}: {JsonSerializer.Serialize(deliveries)}");
            await Task.Delay(100);
        }
    }
}
