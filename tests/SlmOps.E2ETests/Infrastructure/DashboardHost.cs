using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;

namespace SlmOps.E2ETests.Infrastructure;

/// <summary>
/// Class fixture: the running system for a browser. A fresh migrated database, an artifact root and a queue prefix
/// of its own, the web app on a loopback Kestrel port, one real worker process, admin and viewer API keys, and
/// Debian's headless Chromium driven by Playwright. Everything is removed afterwards.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    /// <summary>Generous: a tiny training run on a busy 2-core machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private WebApplicationFactory<Program>? _web;
    private WorkerProcess? _worker;
    private IPlaywright? _playwright;

    public string DatabaseName { get; } = $"slmops_test_e2e_{Guid.NewGuid():N}";
    public string ArtifactsRoot { get; } = Path.Combine(Path.GetTempPath(), $"slmops-e2e-{Guid.NewGuid():N}");
    public string QueuePrefix { get; } = $"slmops-e2e-{Guid.NewGuid():N}-";
    public string ConnectionString => new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Database = DatabaseName }.ConnectionString;

    /// <summary>The dashboard's base URL, e.g. http://127.0.0.1:41234/.</summary>
    public string Url { get; private set; } = "";

    public string AdminKey { get; private set; } = "";
    public string ViewerKey { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;
    public string WorkerOutput => _worker?.Output ?? "";

    /// <summary>Where screenshots go: TestResults/screenshots next to the test assembly, or $SLMOPS_SCREENSHOTS.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("SLMOPS_SCREENSHOTS") is { Length: > 0 } dir
            ? dir
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ConnectionStrings:Postgres"] = ConnectionString,
        ["Artifacts:Root"] = ArtifactsRoot,
        ["RunQueues:Prefix"] = QueuePrefix,
        ["RabbitMq:Host"] = TestStack.RabbitMqHost,
        ["RabbitMq:Port"] = TestStack.RabbitMqPort,
        ["RabbitMq:VirtualHost"] = TestStack.RabbitMqVirtualHost,
        ["RabbitMq:Username"] = TestStack.RabbitMqUsername,
        ["RabbitMq:Password"] = TestStack.RabbitMqPassword,
        ["Worker:Name"] = "e2e-" + QueuePrefix[11..19],
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    };

    public async Task InitializeAsync()
    {
        await TestStack.ExecuteOnServerAsync($"CREATE DATABASE \"{DatabaseName}\"");
        _web = new KestrelFactory(this);
        _web.UseKestrel(0);
        _web.StartServer(); // migrates (Database:MigrateOnStartup=true) before the worker connects
        Url = TestStack.LoopbackUrl(_web.Services) + "/";
        AdminKey = await CreateKeyAsync(ApiKeyRole.Admin, "e2e-admin");
        ViewerKey = await CreateKeyAsync(ApiKeyRole.Viewer, "e2e-viewer");
        // The worker as on a remote box: broker, the web host's URL and a worker key, its own cache; no database.
        var workerKey = await CreateKeyAsync(ApiKeyRole.Worker, "e2e-worker");
        var workerSettings = TestStack.RemoteWorkerSettings(QueuePrefix, "e2e-" + QueuePrefix[11..19], Url, workerKey, ArtifactsRoot + "-worker");
        workerSettings["Logging:LogLevel:Default"] = "Warning";
        _worker = await WorkerProcess.StartAsync(workerSettings, TimeSpan.FromMinutes(2));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        Assertions.SetDefaultExpectTimeout(30_000); // a busy 2-core machine; training waits pass their own deadline
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser page (its own cookies) signed in with the given key.</summary>
    public async Task<IPage> SignedInPageAsync(string key)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Url, ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        });
        context.SetDefaultTimeout((float)TimeSpan.FromSeconds(30).TotalMilliseconds);
        var page = await context.NewPageAsync();
        await page.GotoAsync("signin");
        await page.Locator("#apiKey").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_worker is not null) await _worker.DisposeAsync();
        if (_web is not null) await _web.DisposeAsync();
        await QueueCleanup.DeleteAsync(QueuePrefix);
        NpgsqlConnection.ClearAllPools();
        await TestStack.ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        if (Directory.Exists(ArtifactsRoot)) Directory.Delete(ArtifactsRoot, recursive: true);
        if (Directory.Exists(ArtifactsRoot + "-worker")) Directory.Delete(ArtifactsRoot + "-worker", recursive: true);
    }

    private async Task<string> CreateKeyAsync(ApiKeyRole role, string name)
    {
        await using var scope = _web!.Services.CreateAsyncScope();
        var (_, plaintext) = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(name, role, null, "tests", CancellationToken.None);
        return plaintext;
    }

    private sealed class KestrelFactory(DashboardHost host) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in host.Settings) builder.UseSetting(key, value);
            builder.UseSetting("Database:MigrateOnStartup", "true");
            builder.UseSetting("Logging:LogLevel:MassTransit", "Critical");
        }
    }
}
