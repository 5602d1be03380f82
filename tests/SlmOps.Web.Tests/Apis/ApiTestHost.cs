using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Data.Entities;
using SlmOps.Web.Tests.Auth;

namespace SlmOps.Web.Tests.Apis;

/// <summary>
/// Class fixture: the real web app in-process on its own freshly created and migrated PostgreSQL database, artifact
/// directory and queue prefix (<see cref="WebAppHost"/>), all removed afterwards. Subclasses pick the settings and
/// services their class needs.
/// </summary>
public class ApiTestHost : IAsyncLifetime
{
    private readonly WebAppHost _web = new("api");

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string DatabaseName => Web.DatabaseName;
    public string ArtifactsRoot => Web.ArtifactsRoot;
    public string ConnectionString => Web.ConnectionString;
    public string QueuePrefix => Web.QueuePrefix;

    /// <summary>Extra settings, applied after the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>On a loopback Kestrel port (<see cref="Url"/>) instead of the in-process test server.</summary>
    protected virtual bool OnKestrel => false;

    /// <summary>The Kestrel host's base URL (<see cref="OnKestrel"/> hosts only), e.g. http://127.0.0.1:41234.</summary>
    public string Url => Web.Url;

    /// <summary>Services added after the app's own (so they win, or join its enumerables).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>The plaintext of the admin key every <see cref="CreateClient()"/> client carries (named <see cref="TestKeys.AdminName"/>).</summary>
    public string AdminKey { get; private set; } = "";

    public IServiceProvider Services => Web.Services;

    /// <summary>A client that acts as an admin (its requests carry <see cref="AdminKey"/>).</summary>
    public HttpClient CreateClient() => Web.CreateClient(AdminKey);

    /// <summary>A client whose requests carry a fresh key of the given role (named after the role unless told).</summary>
    public async Task<HttpClient> CreateClientAsync(ApiKeyRole role, string? keyName = null) =>
        Web.CreateClient(await TestKeys.CreateAsync(Services, role, keyName));

    /// <summary>A client with no key and no redirects followed, as a browser before sign-in.</summary>
    public HttpClient CreateAnonymousClient() => Web.CreateAnonymousClient();

    /// <summary>
    /// Another web instance of the same deployment (same database, artifacts and broker), as a second replica behind a
    /// load balancer would be. The caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> CreateInstance(IReadOnlyDictionary<string, string>? overrides = null) => Web.CreateInstance(overrides);

    private WebAppHost Web => _web;

    public virtual async Task InitializeAsync()
    {
        _web.Configure(Settings, ConfigureServices);
        await _web.StartAsync(OnKestrel); // starting the host runs the migrations
        AdminKey = await TestKeys.CreateAsync(Services, ApiKeyRole.Admin, TestKeys.AdminName);
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    public Task<T?> ScalarAsync<T>(string sql, params object[] values) => Web.ScalarAsync<T>(sql, values);

    public Task ExecuteAsync(string sql, params object[] values) => Web.ExecuteAsync(sql, values);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;
}
