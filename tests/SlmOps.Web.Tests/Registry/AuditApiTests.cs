using System.Net;
using System.Net.Http.Json;
using SlmOps.Web.Registry;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Registry;

public sealed class AuditApiTests(RegistryTestHost host) : IClassFixture<RegistryTestHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Filters_by_task_kind_and_time_and_pages_newest_first()
    {
        var one = await host.SeedTaskAsync("audited-one", "{}", "{}", "{}");
        var two = await host.SeedTaskAsync("audited-two", "{}");
        foreach (var version in new[] { 1, 2, 3 })
        {
            (await _client.PutAsJsonAsync($"/api/v1/task-models/{one}/aliases/staging", new { version })).EnsureSuccessStatusCode();
        }
        var cut = DateTimeOffset.UtcNow;
        (await _client.PutAsJsonAsync($"/api/v1/task-models/{two}/aliases/staging", new { version = 1 })).EnsureSuccessStatusCode();

        var firstPage = await _client.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?task={one}&limit=2", ApiTestHost.Json);
        var secondPage = await _client.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?task={one}&limit=2&offset=2", ApiTestHost.Json);
        var since = await _client.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?entityKind=alias&since={Uri.EscapeDataString(cut.ToString("O"))}", ApiTestHost.Json);
        var otherKind = await _client.GetFromJsonAsync<AuditPageDto>("/api/v1/audit?entityKind=api_key", ApiTestHost.Json);

        Assert.Equal((3, 2), (firstPage!.Total, firstPage.NextOffset));
        Assert.Equal(new[] { 3, 2 }, firstPage.Items.Select(e => e.After!.Value.GetProperty("version").GetInt32()));
        Assert.Equal(("alias.set", (int?)null), (Assert.Single(secondPage!.Items).Action, secondPage.NextOffset));
        Assert.Equal($"{two}@staging", Assert.Single(since!.Items).EntityId);
        // Only the fixture's own admin key was issued: the kind filter keeps alias entries out.
        Assert.Equal("api_key", Assert.Single(otherKind!.Items).EntityKind);
    }

    [Fact]
    public async Task A_limit_out_of_range_is_400()
    {
        var response = await _client.GetAsync("/api/v1/audit?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit must be between 1 and", (await ApiTestHost.ReadAsync<Problem>(response)).Detail);
    }
}
