using Microsoft.Playwright;
using SlmOps.Data.Entities;

namespace SlmOps.E2ETests.Infrastructure;

/// <summary>
/// Class fixture: the web app alone on a loopback Kestrel port (no worker), an admin key and the browser; the app can
/// be stopped and started again on the same port and database under an open page, as a deploy would.
/// </summary>
public sealed class RestartableDashboardHost : IAsyncLifetime
{
    private readonly WebAppHost _web = new("e2e", new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" });
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string AdminKey { get; private set; } = "";
    public WebAppHost Web => _web;

    public async Task InitializeAsync()
    {
        await _web.StartAsync(kestrel: true);
        AdminKey = await _web.CreateKeyAsync(ApiKeyRole.Admin, "e2e-admin");
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    public Task<IPage> SignedInPageAsync(string key) => Chromium.SignedInPageAsync(_browser!, _web.Url + "/", key);

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await _web.DisposeAsync();
    }
}
