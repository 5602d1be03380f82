using SlmOps.Data.Entities;

namespace SlmOps.IntegrationTests;

/// <summary>Issue 11, bad input: a worker whose key the web host refuses does not start, and says which setting to fix.</summary>
public sealed class WorkerSettingsTests(HostWithoutWorker host) : IClassFixture<HostWithoutWorker>
{
    [Theory]
    [InlineData("wrong")]
    [InlineData("revoked")]
    [InlineData("viewer")]
    public async Task A_worker_with_a_key_the_web_host_refuses_exits_naming_Worker_ApiKey(string which)
    {
        var settings = host.WorkerSettings($"it-badkey-{which}");
        settings["Worker:ApiKey"] = which switch
        {
            "wrong" => "slm_abcdefgh_" + new string('x', 40),
            "revoked" => await RevokedKeyAsync(),
            _ => await host.CreateKeyAsync(ApiKeyRole.Viewer, "it-viewer-as-worker"),
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => WorkerProcess.StartAsync(settings, TimeSpan.FromMinutes(2)));

        Assert.Contains("The worker exited", error.Message);
        Assert.Contains("Worker:ApiKey", error.Message);
        Assert.DoesNotContain("Bus started", error.Message); // it took no message
    }

    [Fact]
    public async Task A_worker_without_a_web_host_url_exits_naming_Worker_ApiUrl()
    {
        var settings = host.WorkerSettings("it-nourl");
        settings.Remove("Worker:ApiUrl");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => WorkerProcess.StartAsync(settings, TimeSpan.FromMinutes(2)));

        Assert.Contains("Worker:ApiUrl", error.Message);
    }

    private async Task<string> RevokedKeyAsync()
    {
        var key = await host.CreateKeyAsync(ApiKeyRole.Worker, "it-revoked-worker");
        await host.ExecuteAsync("UPDATE api_keys SET revoked_at = now() WHERE name = 'it-revoked-worker'");
        return key;
    }
}
