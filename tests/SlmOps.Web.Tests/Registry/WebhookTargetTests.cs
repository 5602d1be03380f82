using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Webhooks;

namespace SlmOps.Web.Tests.Registry;

/// <summary>
/// Private targets not allowed (the default), one attempt per delivery, and a name server that plays DNS rebinding:
/// <see cref="RebindingName"/> resolves to a public address the first time and to 127.0.0.1 every time after.
/// </summary>
public sealed class WebhookTargetTestHost : RegistryTestHost
{
    public const string RebindingName = "rebind.test";
    private int _rebindingLookups;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Webhooks:MaxAttempts"] = "1",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton(provider => new WebhookTargetGuard(provider.GetRequiredService<WebhookOptions>()) { Resolve = ResolveAsync });

    private Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => host == RebindingName
        ? Task.FromResult<IPAddress[]>([Interlocked.Increment(ref _rebindingLookups) == 1 ? IPAddress.Parse("1.1.1.1") : IPAddress.Loopback])
        : Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>Issue 17: webhooks cannot be aimed at this server's own network (SSRF), neither when subscribed nor when sent.</summary>
public sealed class WebhookTargetTests(WebhookTargetTestHost host) : IClassFixture<WebhookTargetTestHost>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly HttpClient _client = host.CreateClient();

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("2002:7f00:1::1", "loopback")] // 6to4 of 127.0.0.1
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("64:ff9b::a00:1", "private")] // NAT64 of 10.0.0.1
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    public void Non_public_addresses_are_named_by_kind(string address, string kind) =>
        Assert.Equal(kind, WebhookAddresses.NonPublicKind(IPAddress.Parse(address)));

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")] // just past 172.16.0.0/12
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_are_allowed(string address) => Assert.Null(WebhookAddresses.NonPublicKind(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1:9/x", "points at 127.0.0.1, not a public address (loopback)")]
    [InlineData("http://[::1]:8080/x", "points at ::1, not a public address (loopback)")]
    [InlineData("http://localhost:8080/x", "localhost resolves to")]
    [InlineData("http://10.0.0.5/hooks", "points at 10.0.0.5, not a public address (private)")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "(link-local)")]
    [InlineData("http://[fe80::1]/x", "(link-local)")]
    [InlineData("https://[fd00::5]/x", "(unique-local)")]
    [InlineData("http://239.1.2.3/x", "(multicast)")]
    [InlineData("http://0.0.0.0:8080/x", "(unspecified)")]
    [InlineData("http://[::ffff:192.168.1.1]/x", "(private)")]
    public async Task A_subscription_to_a_non_public_address_is_refused_naming_url_and_the_setting(string url, string expected)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "alias.changed" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith("url ", detail);
        Assert.Contains(expected, detail);
        Assert.Contains("Webhooks:AllowPrivateTargets=true", detail);
        Assert.Equal(("url", WebhookTargetGuard.Setting),
            (problem.RootElement.GetProperty("field").GetString(), problem.RootElement.GetProperty("setting").GetString()));
        Assert.DoesNotContain(url, await _client.GetStringAsync("/api/v1/webhooks"));
    }

    [Fact]
    public async Task A_subscription_to_a_public_address_is_accepted()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://1.1.1.1/hooks/slmops", events = new[] { "alias.changed" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await DeleteAsync((await ApiTestHost.ReadAsync<CreatedWebhookDto>(response)).Id);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_at_delivery_is_not_connected_to()
    {
        using var inside = Listen();
        var url = $"http://{WebhookTargetTestHost.RebindingName}:{((IPEndPoint)inside.LocalEndpoint).Port}/hooks";
        var created = await _client.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "alias.changed" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode); // the name was public when subscribed
        var hook = await ApiTestHost.ReadAsync<CreatedWebhookDto>(created);

        var delivery = await ChangeAliasAndWaitAsync(hook.Id, "rebound");
        await DeleteAsync(hook.Id);

        Assert.Equal(("failed", 1, (int?)null), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        Assert.Contains($"{WebhookTargetTestHost.RebindingName} resolves to 127.0.0.1, not a public address (loopback)", delivery.LastError);
        Assert.Contains(WebhookTargetGuard.Setting, delivery.LastError);
        Assert.False(inside.Pending(), "the delivery connected to the loopback listener");
    }

    [Fact]
    public async Task A_private_address_subscribed_while_allowed_is_not_connected_to_once_disallowed()
    {
        using var inside = Listen();
        var url = $"http://127.0.0.1:{((IPEndPoint)inside.LocalEndpoint).Port}/hooks";
        // Subscribed when Webhooks:AllowPrivateTargets was on, which it no longer is.
        var hookId = await host.ScalarAsync<long>(
            "INSERT INTO webhooks.subscriptions (url, secret, events, created_by) VALUES ($1, 'a-secret-of-sixteen-chars', '{alias.changed}', 'test') RETURNING id", url);

        var delivery = await ChangeAliasAndWaitAsync(hookId, "was-allowed");
        await DeleteAsync(hookId);

        Assert.Equal(("failed", (int?)null), (delivery.Status, delivery.LastStatusCode));
        Assert.Contains("points at 127.0.0.1, not a public address (loopback)", delivery.LastError);
        Assert.False(inside.Pending(), "the delivery connected to the loopback listener");
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private async Task<WebhookDeliveryDto> ChangeAliasAndWaitAsync(long hookId, string task)
    {
        await host.SeedTaskAsync(task, "{}");
        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 1 })).EnsureSuccessStatusCode();
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var deliveries = await _client.GetFromJsonAsync<List<WebhookDeliveryDto>>($"/api/v1/webhooks/{hookId}/deliveries", ApiTestHost.Json);
            if (deliveries is [{ Status: not "pending" } only]) return only;
            Assert.True(DateTime.UtcNow < until, $"No finished delivery within {Deadline}: {JsonSerializer.Serialize(deliveries)}");
            await Task.Delay(100);
        }
    }

    private async Task DeleteAsync(long id) => (await _client.DeleteAsync($"/api/v1/webhooks/{id}")).EnsureSuccessStatusCode();
}
