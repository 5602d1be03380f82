using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;

namespace SlmOps.Cli.Tests.Server;

/// <summary>
/// Class fixture: the real web app listening on a loopback Kestrel port, on its own freshly created and migrated
/// database, artifact directory and run-queue prefix (all removed afterwards), with an admin API key inserted
/// into api_keys, so the CLI talks to it over real HTTP exactly as a user would.
/// </summary>
public sealed class CliServerHost : IAsyncLifetime
{
    private WebApplicationFactory<global::Program>? _factory;

    public string DatabaseName { get; } = $"slmops_test_cli_{Guid.NewGuid():N}";
    public string ArtifactsRoot { get; } = Path.Combine(Path.GetTempPath(), $"slmops-cli-artifacts-{Guid.NewGuid():N}");
    public string QueuePrefix { get; } = $"slmops-cli-test-{Guid.NewGuid():N}-";
    public string ConnectionString => new NpgsqlConnectionStringBuilder(CliTestStack.PostgresConnectionString) { Database = DatabaseName }.ConnectionString;

    /// <summary>The server's base URL, e.g. http://127.0.0.1:41234/.</summary>
    public string Url { get; private set; } = "";

    public string AdminKey { get; } = NewKey();

    public async Task InitializeAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE \"{DatabaseName}\"");
        _factory = new KestrelFactory(this);
        _factory.UseKestrel(0);
        _factory.StartServer(); // runs the migrations (Database:MigrateOnStartup=true)
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Url = addresses.First().Replace("[::1]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/') + "/";
        await ExecuteAsync(
            "INSERT INTO api_keys (name, prefix, key_hash, role, created_by) VALUES ('cli-tests', $1, $2, 'admin', 'tests')",
            AdminKey.Split('_')[1], Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminKey))));
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        if (Directory.Exists(ArtifactsRoot)) Directory.Delete(ArtifactsRoot, recursive: true);
        await DeleteQueuesAsync();
    }

    /// <summary>A fresh environment for one CLI call: its own config file, this server and the admin key.</summary>
    public Dictionary<string, string> Environment(string? key = null) => new()
    {
        ["SLMOPS_CONFIG"] = Path.Combine(Directory.CreateTempSubdirectory("slmops-cli-config-").FullName, "config.json"),
        ["SLMOPS_SERVER"] = Url,
        ["SLMOPS_API_KEY"] = key ?? AdminKey,
    };

    public Task<CliResult> RunAsync(params string[] args) => ClientHarness.RunAsync(Environment(), args);

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

    /// <summary>A well-formed key (slm_&lt;8 lowercase&gt;_&lt;40 alphanumerics&gt;) that no server knows.</summary>
    public static string NewKey() =>
        $"slm_{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8)}_{RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40)}";

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(CliTestStack.PostgresConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task DeleteQueuesAsync()
    {
        var factory = new ConnectionFactory
        {
            HostName = CliTestStack.RabbitMqHost, Port = int.Parse(CliTestStack.RabbitMqPort), VirtualHost = CliTestStack.RabbitMqVirtualHost,
            UserName = CliTestStack.RabbitMqUsername, Password = CliTestStack.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var device in new[] { "cpu", "cuda" })
        {
            await channel.QueueDeleteAsync(QueuePrefix + device);
            await channel.ExchangeDeleteAsync(QueuePrefix + device);
        }
    }

    private sealed class KestrelFactory(CliServerHost host) : WebApplicationFactory<global::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Postgres", host.ConnectionString);
            builder.UseSetting("Database:MigrateOnStartup", "true");
            builder.UseSetting("Artifacts:Root", host.ArtifactsRoot);
            builder.UseSetting("RunQueues:Prefix", host.QueuePrefix);
            builder.UseSetting("Datasets:MaxUploadBytes", "65536");
            builder.UseSetting("RabbitMq:Host", CliTestStack.RabbitMqHost);
            builder.UseSetting("RabbitMq:Port", CliTestStack.RabbitMqPort);
            builder.UseSetting("RabbitMq:VirtualHost", CliTestStack.RabbitMqVirtualHost);
            builder.UseSetting("RabbitMq:Username", CliTestStack.RabbitMqUsername);
            builder.UseSetting("RabbitMq:Password", CliTestStack.RabbitMqPassword);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:MassTransit", "Critical");
            builder.UseSetting("Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks", "None");
        }
    }
}
