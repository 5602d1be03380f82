using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace SlmOps.TestSupport;

/// <summary>
/// Where the tests find the development stack (deploy/stack.sh): PostgreSQL and RabbitMQ from the SLMOPS_TEST_*
/// variables that <c>deploy/stack.sh env</c> prints, with the stack's defaults; and loopback ports.
/// </summary>
public static class TestStack
{
    public static string PostgresConnectionString => Setting("SLMOPS_TEST_PG", "Host=127.0.0.1;Port=5433;Database=slmops;Username=slmops;Password=slmops");
    public static string RabbitMqHost => Setting("SLMOPS_TEST_RABBITMQ_HOST", "127.0.0.1");
    public static string RabbitMqPort => Setting("SLMOPS_TEST_RABBITMQ_PORT", "5672");
    public static string RabbitMqVirtualHost => Setting("SLMOPS_TEST_RABBITMQ_VHOST", "slmops");
    public static string RabbitMqUsername => Setting("SLMOPS_TEST_RABBITMQ_USER", "slmops");
    public static string RabbitMqPassword => Setting("SLMOPS_TEST_RABBITMQ_PASSWORD", "slmops");

    /// <summary>The dev broker, as settings of a host.</summary>
    public static Dictionary<string, string> BrokerSettings() => new()
    {
        ["RabbitMq:Host"] = RabbitMqHost,
        ["RabbitMq:Port"] = RabbitMqPort,
        ["RabbitMq:VirtualHost"] = RabbitMqVirtualHost,
        ["RabbitMq:Username"] = RabbitMqUsername,
        ["RabbitMq:Password"] = RabbitMqPassword,
    };

    /// <summary>
    /// A worker's whole configuration, as on a remote box: the broker and its queue prefix, the web host's URL and a
    /// worker key, a cache folder of its own. No ConnectionStrings, no Artifacts:Root.
    /// </summary>
    public static Dictionary<string, string> RemoteWorkerSettings(string queuePrefix, string name, string webUrl, string workerKey, string cacheRoot)
    {
        var settings = BrokerSettings();
        settings["RunQueues:Prefix"] = queuePrefix;
        settings["Worker:Name"] = name;
        settings["Worker:ApiUrl"] = webUrl.TrimEnd('/');
        settings["Worker:ApiKey"] = workerKey;
        settings["Worker:CacheRoot"] = cacheRoot;
        settings["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
        settings["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning";
        return settings;
    }

    /// <summary>The address Kestrel bound for a test host, as a loopback URL a child process can call (no trailing slash).</summary>
    public static string LoopbackUrl(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::1]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');

    /// <summary>A loopback port that was free a moment ago: something may listen on it next, or connecting is refused.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The test server's connection string pointed at another port (where nothing listens, say).</summary>
    public static string PostgresAt(int port) =>
        new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Host = "127.0.0.1", Port = port }.ConnectionString;

    /// <summary>Runs one statement on the server's maintenance connection (CREATE / DROP DATABASE), unpooled.</summary>
    public static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
