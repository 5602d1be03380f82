using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;

namespace SlmOps.TestSupport;

/// <summary>
/// The real web app for one test class (or one benchmark): a fresh database that the app migrates on start, an
/// artifact folder and a run-queue prefix of its own, the dev broker; in-process (TestServer) or on a loopback
/// Kestrel port that child processes and browsers can reach. <see cref="DisposeAsync"/> removes all of it.
/// </summary>
public sealed class WebAppHost : IAsyncDisposable
{
    private IReadOnlyDictionary<string, string> _settings;
    private Action<IServiceCollection>? _services;
    private WebApplicationFactory<Program>? _factory;
    private readonly bool _existingDatabase;

    /// <param name="purpose">A short lowercase word naming the user (api, cli, it, e2e, bench): part of every name made.</param>
    /// <param name="settings">Settings of the class; they replace the defaults of the same key.</param>
    /// <param name="services">Services added after the app's own (so they win, or join its enumerables), in every instance.</param>
    /// <param name="database">An existing database to run on (e.g. one an older release migrated) instead of a new one; it is dropped too.</param>
    public WebAppHost(string purpose, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null, string? database = null)
    {
        _services = services;
        _existingDatabase = database is not null;
        DatabaseName = database ?? TestDatabase.UniqueName(purpose);
        ArtifactsRoot = Path.Combine(Path.GetTempPath(), $"slmops-{purpose}-artifacts-{Guid.NewGuid():N}");
        QueuePrefix = $"slmops-{purpose}-{Guid.NewGuid():N}-";
        _settings = settings ?? new Dictionary<string, string>();
    }

    public string DatabaseName { get; }
    public string ArtifactsRoot { get; }
    public string QueuePrefix { get; }
    public string ConnectionString => new Npgsql.NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Database = DatabaseName }.ConnectionString;

    /// <summary>The base URL on loopback without a trailing slash (Kestrel hosts only), e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; private set; } = "";

    public IServiceProvider Services => Factory.Services;

    /// <summary>The settings the app starts with: the defaults, then the class's own.</summary>
    public IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = TestStack.BrokerSettings();
            settings["ConnectionStrings:Postgres"] = ConnectionString;
            settings["Database:MigrateOnStartup"] = "true";
            settings["Artifacts:Root"] = ArtifactsRoot;
            settings["RunQueues:Prefix"] = QueuePrefix;
            settings["Logging:LogLevel:MassTransit"] = "Critical";
            settings["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
            settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning";
            foreach (var (key, value) in _settings) settings[key] = value;
            return settings;
        }
    }

    /// <summary>
    /// Sets the class's settings and services after construction (a fixture whose settings are virtual members can
    /// only read them once constructed), before <see cref="StartAsync"/>.
    /// </summary>
    public void Configure(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services)
    {
        if (_factory is not null) throw new InvalidOperationException("Configure the web host before starting it.");
        _settings = settings;
        _services = services;
    }

    private WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("The web host has not been started.");

    /// <summary>Creates the database (unless given one) and starts the app, which migrates it before it answers.</summary>
    public async Task StartAsync(bool kestrel)
    {
        if (!_existingDatabase) await TestStack.ExecuteOnServerAsync($"CREATE DATABASE \"{DatabaseName}\"");
        _factory = new SettingsFactory(Settings, _services);
        if (kestrel)
        {
            _factory.UseKestrel(0);
            _factory.StartServer();
            Url = TestStack.LoopbackUrl(_factory.Services);
        }
        else
        {
            _ = _factory.Server;
        }
    }

    /// <summary>
    /// Stops the app (Kestrel hosts only) and keeps its database, artifacts and queues, as a deploy or a crash would;
    /// <see cref="StartAgainAsync"/> brings a fresh instance up on the same port.
    /// </summary>
    public async Task StopAsync()
    {
        if (Url.Length == 0) throw new InvalidOperationException("Only a Kestrel host can be stopped and started again.");
        await Factory.DisposeAsync();
        _factory = null;
    }

    /// <summary>A fresh instance of the stopped app on the same port, same settings; waits while the port is still held.</summary>
    public async Task StartAgainAsync(TimeSpan deadline)
    {
        if (_factory is not null) throw new InvalidOperationException("The web host is running; stop it first.");
        var port = new Uri(Url).Port;
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var factory = new SettingsFactory(Settings, _services);
            factory.UseKestrel(port);
            try
            {
                factory.StartServer();
                _factory = factory;
                return;
            }
            catch (IOException) when (DateTime.UtcNow < until) // address in use: the old listener is still closing
            {
                await factory.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    /// <summary>A new API key of the given role; returns its plaintext.</summary>
    public async Task<string> CreateKeyAsync(ApiKeyRole role, string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var (_, plaintext) = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(name, role, null, "tests", CancellationToken.None);
        return plaintext;
    }

    /// <summary>A client whose requests carry <paramref name="key"/> as a Bearer token.</summary>
    public HttpClient CreateClient(string key) => WithKey(Factory.CreateClient(), key);

    /// <summary>A client with no key and no redirects followed, as a browser before sign-in.</summary>
    public HttpClient CreateAnonymousClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>
    /// Another web instance of the same deployment (same database, artifacts and broker unless overridden), as a
    /// second replica behind a load balancer would be. The caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> CreateInstance(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) settings[key] = value;
        return new SettingsFactory(settings, _services);
    }

    public static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The first column of the first row (default for none or NULL); <paramref name="values"/> bind $1, $2, ...</summary>
    public Task<T?> ScalarAsync<T>(string sql, params object[] values) => Sql.ScalarAsync<T>(ConnectionString, sql, values);

    public Task ExecuteAsync(string sql, params object[] values) => Sql.ScalarAsync<object>(ConnectionString, sql, values);

    /// <summary>A text dataset version stored the way the upload API stores one: artifact file + rows.</summary>
    public async Task<long> SeedDatasetAsync(string name, string text)
    {
        var stored = await new FileArtifactStore(ArtifactsRoot).PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        await ExecuteAsync("INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES ($1, $2, 'text/plain', $3) ON CONFLICT DO NOTHING",
            stored.Sha256, stored.SizeBytes, stored.RelativePath);
        var datasetId = await ScalarAsync<long>("INSERT INTO datasets (name, created_by) VALUES ($1, 'test') RETURNING id", name);
        return await ScalarAsync<long>(
            "INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, created_by) VALUES ($1, 1, $2, $3, 'text', 'test') RETURNING id",
            datasetId, stored.Sha256, stored.SizeBytes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        await QueueCleanup.DeleteAsync(QueuePrefix);
        await TestDatabase.DropAsync(DatabaseName);
        if (Directory.Exists(ArtifactsRoot)) Directory.Delete(ArtifactsRoot, recursive: true);
    }

    private sealed class SettingsFactory(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            if (services is not null) builder.ConfigureTestServices(services);
        }
    }
}
