using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Data.Entities;
using SlmOps.Serving;
using SlmOps.Web.Serving;

namespace SlmOps.TestSupport;

/// <summary>
/// The real serving host (SlmOps.Serving) beside a <see cref="WebAppHost"/>: the same database (read only), artifact
/// folder and broker, on a loopback Kestrel port; <see cref="ConnectAsync"/> points the web host's generate forwarding
/// and playground at it, with a key of its own, as deploy/up.sh does.
/// </summary>
public sealed class ServingAppHost(WebAppHost web, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    : IAsyncDisposable
{
    private WebApplicationFactory<ServingProgram>? _factory;

    /// <summary>The base URL on loopback without a trailing slash, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; private set; } = "";

    public IServiceProvider Services => Factory.Services;

    private WebApplicationFactory<ServingProgram> Factory => _factory ?? throw new InvalidOperationException("The serving host has not been started.");

    /// <summary>The settings it starts with: the web host's database, artifacts and broker, then the class's own.</summary>
    public IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var all = TestStack.BrokerSettings();
            all["ConnectionStrings:Postgres"] = web.ConnectionString;
            all["Artifacts:Root"] = web.ArtifactsRoot;
            all["Logging:LogLevel:MassTransit"] = "Critical";
            all["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
            all["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning";
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
            return all;
        }
    }

    /// <summary>Starts it on a loopback port (the web host must have migrated the database first).</summary>
    public Task StartAsync()
    {
        _factory = new SettingsFactory(Settings, services);
        _factory.UseKestrel(0);
        _factory.StartServer();
        Url = TestStack.LoopbackUrl(_factory.Services);
        return Task.CompletedTask;
    }

    /// <summary>Points the web host's ServingHost:Url here and gives it a key for dashboard sessions.</summary>
    public async Task ConnectAsync()
    {
        var options = web.Services.GetRequiredService<ServingHostOptions>();
        options.Url = Url;
        options.Key = await web.CreateKeyAsync(ApiKeyRole.Admin, "web-to-serving");
    }

    /// <summary>A client of the serving host whose requests carry <paramref name="key"/> as a Bearer token.</summary>
    public HttpClient CreateClient(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient CreateAnonymousClient() => Factory.CreateClient();

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
    }

    private sealed class SettingsFactory(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services)
        : WebApplicationFactory<ServingProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            if (services is not null) builder.ConfigureTestServices(services);
        }
    }
}
