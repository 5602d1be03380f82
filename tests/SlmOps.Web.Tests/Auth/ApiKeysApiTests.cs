using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Auth;

/// <summary>Runs submitted here go to the fixture's own queues, removed by the test that submits.</summary>
public sealed class AuthApiHost : ApiTestHost
{
    public Task DeleteRunQueuesAsync() => QueueCleanup.DeleteAsync(QueuePrefix);
}

public sealed class ApiKeysApiTests(AuthApiHost host) : IClassFixture<AuthApiHost>
{
    private readonly HttpClient _admin = host.CreateClient();

    [Fact]
    public async Task A_created_key_is_shown_once_stored_only_as_its_sha256_and_acts_with_its_role()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "ci-bot", role = "editor" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ApiTestHost.ReadAsync<CreatedApiKeyDto>(response);

        Assert.Matches(new Regex("^slm_[a-z0-9]{8}_[A-Za-z0-9]{32,}$"), created.Key);
        Assert.Equal(created.Key[4..12], created.ApiKey.Prefix);
        Assert.Equal(("ci-bot", "editor", TestKeys.AdminName, true), (created.ApiKey.Name, created.ApiKey.Role, created.ApiKey.CreatedBy, created.ApiKey.Active));
        Assert.Equal($"/api/v1/api-keys/{created.ApiKey.Prefix}", response.Headers.Location?.ToString());

        var storedHash = await host.ScalarAsync<string>("SELECT key_hash FROM api_keys WHERE prefix = $1", created.ApiKey.Prefix);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Key))), storedHash);
        var secret = created.Key[13..];
        Assert.False(await host.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM api_keys k WHERE strpos(row_to_json(k)::text, $1) > 0)", secret));

        var listing = await (await _admin.GetAsync("/api/v1/api-keys")).Content.ReadAsStringAsync();
        Assert.Contains(created.ApiKey.Prefix, listing);
        Assert.DoesNotContain(secret, listing);
        Assert.DoesNotContain(storedHash!, listing);
        Assert.DoesNotContain("hash", listing, StringComparison.OrdinalIgnoreCase);

        using var editor = TestKeys.WithKey(host.CreateAnonymousClient(), created.Key);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/api/v1/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/v1/api-keys")).StatusCode);

        var audit = await host.ScalarAsync<string>(
            "SELECT actor || ' ' || action || ' ' || (after->>'role') FROM audit_log WHERE entity_kind = 'api_key' AND entity_id = $1", created.ApiKey.Prefix);
        Assert.Equal($"{TestKeys.AdminName} api_key.create editor", audit);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_listed_as_revoked_and_the_revocation_audited()
    {
        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Viewer, "leaving-intern");
        ApiKeyFormat.TryGetPrefix(key, out var prefix);
        using var client = TestKeys.WithKey(host.CreateAnonymousClient(), key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/workers")).StatusCode);

        var revoke = await _admin.DeleteAsync($"/api/v1/api-keys/{prefix}?reason=left%20the%20team");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var refused = await client.GetAsync("/api/v1/workers");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("was revoked", (await refused.Content.ReadFromJsonAsync<Problem>())!.Detail);
        var listed = (await ApiTestHost.ReadAsync<List<ApiKeyDto>>(await _admin.GetAsync("/api/v1/api-keys"))).Single(k => k.Prefix == prefix);
        Assert.Equal((false, true), (listed.Active, listed.RevokedAt is not null));
        Assert.DoesNotContain(await ApiTestHost.ReadAsync<List<ApiKeyDto>>(await _admin.GetAsync("/api/v1/api-keys?includeRevoked=false")),
            k => k.Prefix == prefix);
        Assert.Equal($"{TestKeys.AdminName}|left the team", await host.ScalarAsync<string>(
            "SELECT actor || '|' || reason FROM audit_log WHERE action = 'api_key.revoke' AND entity_id = $1", prefix));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/v1/api-keys/zzzzzzzz")).StatusCode);
    }

    [Fact]
    public async Task An_expired_key_is_refused_saying_so()
    {
        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Admin, "short-lived", DateTimeOffset.UtcNow.AddHours(1));
        using var client = TestKeys.WithKey(host.CreateAnonymousClient(), key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/workers")).StatusCode);

        await host.ExecuteAsync("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE prefix = $1", key[4..12]);

        var refused = await client.GetAsync("/api/v1/workers");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("expired", (await refused.Content.ReadFromJsonAsync<Problem>())!.Detail);
    }

    [Fact]
    public async Task Last_used_is_recorded_at_most_once_a_minute()
    {
        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Viewer, "busy-dashboard");
        var prefix = key[4..12];
        using var client = TestKeys.WithKey(host.CreateAnonymousClient(), key);
        Assert.Null(await host.ScalarAsync<DateTime?>("SELECT last_used_at FROM api_keys WHERE prefix = $1", prefix));

        await client.GetAsync("/api/v1/workers");
        var first = await host.ScalarAsync<DateTime>("SELECT last_used_at FROM api_keys WHERE prefix = $1", prefix);
        await client.GetAsync("/api/v1/workers");
        await client.GetAsync("/api/v1/runs");
        Assert.Equal(first, await host.ScalarAsync<DateTime>("SELECT last_used_at FROM api_keys WHERE prefix = $1", prefix));

        await host.ExecuteAsync("UPDATE api_keys SET last_used_at = now() - interval '61 seconds' WHERE prefix = $1", prefix);
        await client.GetAsync("/api/v1/workers");
        Assert.True(await host.ScalarAsync<bool>("SELECT last_used_at > now() - interval '30 seconds' FROM api_keys WHERE prefix = $1", prefix));
    }

    [Fact]
    public async Task Invalid_requests_name_the_field_and_what_it_accepts()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "", role = "superuser", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors");
        Assert.Contains("viewer, editor, promoter, admin", errors.GetProperty("role")[0].GetString());
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("expiresAt", out _));
    }

    [Fact]
    public async Task Runs_and_datasets_record_the_key_name_as_their_creator()
    {
        using var editor = await host.CreateClientAsync(ApiKeyRole.Editor, "alice");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("alice-corpus"), "name" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("some text\nmore text\n")), "file", "corpus.txt" },
        };
        var upload = await editor.PostAsync("/api/v1/datasets", form);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal("alice", await host.ScalarAsync<string>(
            "SELECT v.created_by FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = 'alice-corpus'"));
        var versionId = await host.ScalarAsync<long>(
            "SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = 'alice-corpus'");

        try
        {
            var submit = await editor.PostAsJsonAsync("/api/v1/runs/prepare",
                new { name = "alice prep", priority = 1, spec = new { datasetVersionId = versionId } });
            Assert.True(submit.StatusCode == HttpStatusCode.Created, await submit.Content.ReadAsStringAsync());
        }
        finally
        {
            await host.DeleteRunQueuesAsync();
        }
        Assert.Equal("alice", await host.ScalarAsync<string>("SELECT created_by FROM runs WHERE name = 'alice prep'"));
    }
}
