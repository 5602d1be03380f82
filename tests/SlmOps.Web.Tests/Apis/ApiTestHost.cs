using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SlmOps.Data.Entities;
using SlmOps.Web.Tests.Auth;

namespace SlmOps.Web.Tests.Apis;

/// <summary>
/// Class fixture: the real web app on its own freshly created and migrated PostgreSQL database and its own
/// artifact directory, both removed afterwards. Subclasses pick the settings their class needs.
/// </summary>
public class ApiTestHost : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public string DatabaseName { get; } = $"slmops_test_api_{Guid.NewGuid():N}";
    public string ArtifactsRoot { get; } = Path.Combine(Path.GetTempPath(), $"slmops-api-artifacts-{Guid.NewGuid():N}");
    public string ConnectionString => new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Database = DatabaseName }.ConnectionString;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Extra settings, applied after the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Services added after the app's own (so they win, or join its enumerables).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>The plaintext of the admin key every <see cref="CreateClient()"/> client carries (named <see cref="TestKeys.AdminName"/>).</summary>
    public string AdminKey { get; private set; } = "";

    public IServiceProvider Services => Factory.Services;

    /// <summary>A client that acts as an admin (its requests carry <see cref="AdminKey"/>).</summary>
    public HttpClient CreateClient() => TestKeys.WithKey(Factory.CreateClient(), AdminKey);

    /// <summary>A client whose requests carry a fresh key of the given role (named after the role unless told).</summary>
    public async Task<HttpClient> CreateClientAsync(ApiKeyRole role, string? keyName = null) =>
        TestKeys.WithKey(Factory.CreateClient(), await TestKeys.CreateAsync(Services, role, keyName));

    /// <summary>A client with no key and no redirects followed, as a browser before sign-in.</summary>
    public HttpClient CreateAnonymousClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>
    /// Another web instance of the same deployment (same database, artifacts and broker), as a second replica behind a
    /// load balancer would be. The caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> CreateInstance(IReadOnlyDictionary<string, string>? overrides = null) => new SettingsFactory(this, overrides);

    private WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Fixture not initialised.");

    public virtual async Task InitializeAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE \"{DatabaseName}\"");
        _factory = new SettingsFactory(this);
        // Starting the host runs the migrations (Database:MigrateOnStartup=true below).
        _ = _factory.Server;
        AdminKey = await TestKeys.CreateAsync(Services, ApiKeyRole.Admin, TestKeys.AdminName);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        if (Directory.Exists(ArtifactsRoot)) Directory.Delete(ArtifactsRoot, recursive: true);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public Task ExecuteAsync(string sql, params object[] values) => ScalarAsync<object>(sql, values);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class SettingsFactory(ApiTestHost host, IReadOnlyDictionary<string, string>? overrides = null) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Postgres", host.ConnectionString);
            builder.UseSetting("Database:MigrateOnStartup", "true");
            builder.UseSetting("Artifacts:Root", host.ArtifactsRoot);
            builder.UseSetting("RabbitMq:Host", TestStack.RabbitMqHost);
            builder.UseSetting("RabbitMq:Port", TestStack.RabbitMqPort);
            builder.UseSetting("RabbitMq:VirtualHost", TestStack.RabbitMqVirtualHost);
            builder.UseSetting("RabbitMq:Username", TestStack.RabbitMqUsername);
            builder.UseSetting("RabbitMq:Password", TestStack.RabbitMqPassword);
            builder.UseSetting("Logging:LogLevel:MassTransit", "Critical");
            builder.UseSetting("Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks", "None");
            foreach (var (key, value) in host.Settings) builder.UseSetting(key, value);
            foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            builder.ConfigureTestServices(host.ConfigureServices);
        }
    }
}
