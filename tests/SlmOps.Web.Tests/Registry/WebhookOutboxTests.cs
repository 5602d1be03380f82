using System.Net;
using System.Net.Http.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Data;
using SlmOps.Web.Registry;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Auth;
using SlmOps.Web.Webhooks;

namespace SlmOps.Web.Tests.Registry;

/// <summary>
/// A web instance that runs no Hangfire server, so nothing it writes is sent while a test looks at it, and whose
/// alias changes of an alias named <see cref="Doomed"/> fail after the outbox rows are written. Its receivers are on
/// loopback, so private targets are allowed.
/// </summary>
public sealed class WebhookOutboxTestHost : RegistryTestHost
{
    public const string Doomed = "doomed";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hangfire:ServerEnabled"] = "false",
        ["Webhooks:AllowPrivateTargets"] = "true",
    };

    /// <summary>Settings of a second instance that does run a server, polling fast, draining every second.</summary>
    public static readonly IReadOnlyDictionary<string, string> Delivering = new Dictionary<string, string>
    {
        ["Hangfire:ServerEnabled"] = "true",
        ["Hangfire:SchedulePollingInterval"] = "00:00:00.2",
        ["Webhooks:DrainInterval"] = "00:00:01",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddScoped<IAliasChangeRecorder, FailingRecorder>();

    private sealed class FailingRecorder : IAliasChangeRecorder
    {
        public Task RecordAsync(SlmOpsDbContext db, AliasChange change, CancellationToken ct) =>
            change.Alias == Doomed ? throw new InvalidOperationException("the change fails after its webhook rows were written") : Task.CompletedTask;
    }
}

/// <summary>An alias change and its webhook deliveries commit together or not at all, and what committed is sent by whichever instance runs.</summary>
public sealed class WebhookOutboxTests(WebhookOutboxTestHost host) : IClassFixture<WebhookOutboxTestHost>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task A_rolled_back_alias_change_leaves_no_delivery_and_nothing_is_sent()
    {
        await using var receiver = new WebhookReceiver();
        var hook = await SubscribeAsync(receiver);
        var task = await host.SeedTaskAsync("rolled-back", "{}");

        var refused = await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/{WebhookOutboxTestHost.Doomed}", new { version = 1 });
        var drained = await DrainAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal((null, 0, 0), await host.AliasStateAsync(task, WebhookOutboxTestHost.Doomed));
        Assert.Equal(0, drained);
        Assert.Empty((await _client.GetFromJsonAsync<List<WebhookDeliveryDto>>($"/api/v1/webhooks/{hook.Id}/deliveries", ApiTestHost.Json))!);
        Assert.Empty(receiver.Requests);
        await DeleteAsync(hook.Id);
    }

    [Fact]
    public async Task The_drain_hands_each_pending_delivery_to_one_Hangfire_job()
    {
        var hook = await SubscribeAsync(url: "http://127.0.0.1:9/never-called");
        var task = await host.SeedTaskAsync("drained", "{}");
        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 1 })).EnsureSuccessStatusCode();
        var delivery = await host.ScalarAsync<Guid>("SELECT id FROM webhooks.deliveries WHERE subscription_id = $1", hook.Id);

        await DrainAsync();
        var jobId = await host.ScalarAsync<string>("SELECT job_id FROM webhooks.deliveries WHERE id = $1", delivery);
        await DrainAsync();

        Assert.NotNull(jobId);
        Assert.Equal(jobId, await host.ScalarAsync<string>("SELECT job_id FROM webhooks.deliveries WHERE id = $1", delivery));
        var job = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId);
        Assert.Equal((typeof(WebhookDeliveryJob), nameof(WebhookDeliveryJob.DeliverAsync)), (job.Job.Type, job.Job.Method.Name));
        Assert.Equal(delivery, job.Job.Args[0]);
        await DeleteAsync(hook.Id);
    }

    [Fact]
    public async Task A_committed_change_is_delivered_by_another_instance_after_the_one_that_made_it_stopped()
    {
        await using var receiver = new WebhookReceiver();
        var hook = await SubscribeAsync(receiver);
        var task = await host.SeedTaskAsync("survivor", "{}");
        await using (var committer = host.CreateInstance())
        {
            using var client = TestKeys.WithKey(committer.CreateClient(), host.AdminKey);
            (await client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 1 })).EnsureSuccessStatusCode();
        }
        // A row no job was ever enqueued for, as a host that stopped between its commit and anything else leaves.
        await host.ExecuteAsync("""
            INSERT INTO webhooks.deliveries (id, subscription_id, event, payload)
            VALUES ($1, $2, 'alias.changed', jsonb_build_object('event', 'alias.changed', 'deliveryId', $1::text))
            """, Guid.NewGuid(), hook.Id);

        await using var survivor = host.CreateInstance(WebhookOutboxTestHost.Delivering);
        _ = survivor.Server;
        var deliveries = await WaitForAsync(hook.Id, all => all.Count == 2 && all.All(d => d.Status == "succeeded"));

        Assert.Equal(deliveries.Select(d => d.Id.ToString()).Order(), receiver.Requests.Select(r => r.DeliveryId).Order());
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid));
        await DeleteAsync(hook.Id);
    }

    private async Task<int> DrainAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<WebhookOutboxDrain>(scope.ServiceProvider).DrainAsync(CancellationToken.None);
    }

    private async Task<CreatedWebhookDto> SubscribeAsync(WebhookReceiver? receiver = null, string? url = null)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver?.Url ?? url, events = new[] { "alias.changed" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var hook = await ApiTestHost.ReadAsync<CreatedWebhookDto>(response);
        if (receiver is not null) receiver.Secret = hook.Secret;
        return hook;
    }

    private async Task DeleteAsync(long id) => (await _client.DeleteAsync($"/api/v1/webhooks/{id}")).EnsureSuccessStatusCode();

    private async Task<List<WebhookDeliveryDto>> WaitForAsync(long hookId, Func<List<WebhookDeliveryDto>, bool> done)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var deliveries = (await _client.GetFromJsonAsync<List<WebhookDeliveryDto>>($"/api/v1/webhooks/{hookId}/deliveries", ApiTestHost.Json))!;
            if (done(deliveries)) return deliveries;
            Assert.True(DateTime.UtcNow < until, $"Not delivered within {Deadline}: {System.Text.Json.JsonSerializer.Serialize(deliveries)}");
            await Task.Delay(100);
        }
    }
}
