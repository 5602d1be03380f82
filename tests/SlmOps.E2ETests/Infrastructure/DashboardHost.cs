using Microsoft.Playwright;
using SlmOps.Data.Entities;

namespace SlmOps.E2ETests.Infrastructure;

/// <summary>
/// Class fixture: the running system for a browser. The web app on a loopback Kestrel port over a fresh migrated
/// database, an artifact root and a queue prefix of its own (<see cref="WebAppHost"/>), one real worker process,
/// admin and viewer API keys, and Debian's headless Chromium driven by Playwright. Everything is removed afterwards.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    /// <summary>Generous: a tiny training run on a busy 2-core machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private readonly WebAppHost _web = new("e2e", new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" });
    private ServingAppHost? _serving;
    private WorkerProcess? _worker;
    private IPlaywright? _playwright;

    public string ConnectionString => _web.ConnectionString;

    /// <summary>The dashboard's base URL, e.g. http://127.0.0.1:41234/.</summary>
    public string Url => _web.Url + "/";

    public string AdminKey { get; private set; } = "";
    public string ViewerKey { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;
    public string WorkerOutput => _worker?.Output ?? "";

    /// <summary>Where screenshots go: TestResults/screenshots next to the test assembly, or $SLMOPS_SCREENSHOTS.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("SLMOPS_SCREENSHOTS") is { Length: > 0 } dir
            ? dir
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        await _web.StartAsync(kestrel: true); // migrates before the worker connects
        // The serving host beside it, as deploy/up.sh runs it: the playground streams from there.
        _serving = new ServingAppHost(_web);
        await _serving.StartAsync();
        await _serving.ConnectAsync();
        AdminKey = await _web.CreateKeyAsync(ApiKeyRole.Admin, "e2e-admin");
        ViewerKey = await _web.CreateKeyAsync(ApiKeyRole.Viewer, "e2e-viewer");
        // The worker as on a remote box: broker, the web host's URL and a worker key, its own cache; no database.
        var workerKey = await _web.CreateKeyAsync(ApiKeyRole.Worker, "e2e-worker");
        var workerSettings = TestStack.RemoteWorkerSettings(_web.QueuePrefix, "e2e-" + _web.QueuePrefix[11..19], Url, workerKey, _web.ArtifactsRoot + "-worker");
        workerSettings["Logging:LogLevel:Default"] = "Warning";
        _worker = await WorkerProcess.StartAsync(workerSettings, TimeSpan.FromMinutes(2));

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>A fresh browser page (its own cookies) signed in with the given key.</summary>
    public Task<IPage> SignedInPageAsync(string key) => Chromium.SignedInPageAsync(Browser, Url, key);

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_worker is not null) await _worker.DisposeAsync();
        if (_serving is not null) await _serving.DisposeAsync();
        await _web.DisposeAsync();
        if (Directory.Exists(_web.ArtifactsRoot + "-worker")) Directory.Delete(_web.ArtifactsRoot + "-worker", recursive: true);
    }
}
