using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SlmOps.Web.Tests;

/// <summary>
/// Hosts the real SlmOps.Web application in-process, pointed at the given dependencies. Its clients carry a
/// well-formed API key that no database here holds (these databases are unreachable or unmigrated), so a request
/// to /api/v1 reaches the key check against PostgreSQL. For API tests that need a working key of some role use
/// <see cref="Apis.ApiTestHost"/> (migrated database, admin key by default, CreateClientAsync(role)).
/// </summary>
internal sealed class WebHostFactory(string postgres, string rabbitHost, string rabbitPort) : WebApplicationFactory<Program>
{
    public string Key { get; } = ApiKeyFormat.Generate().Key;

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
    }

    public static WebHostFactory ForRealStack() => new(TestStack.PostgresConnectionString, TestStack.RabbitMqHost, TestStack.RabbitMqPort);

    public static WebHostFactory WithNothingListening(out int postgresPort, out int rabbitPort)
    {
        postgresPort = TestStack.FreePort();
        rabbitPort = TestStack.FreePort();
        return new WebHostFactory(TestStack.PostgresAt(postgresPort), "127.0.0.1", rabbitPort.ToString());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Postgres", postgres);
        builder.UseSetting("RabbitMq:Host", rabbitHost);
        builder.UseSetting("RabbitMq:Port", rabbitPort);
        builder.UseSetting("RabbitMq:VirtualHost", TestStack.RabbitMqVirtualHost);
        builder.UseSetting("RabbitMq:Username", TestStack.RabbitMqUsername);
        builder.UseSetting("RabbitMq:Password", TestStack.RabbitMqPassword);
        // The bus retries unreachable brokers and logs each attempt with a stack trace; the tests assert
        // on the readiness answer instead, so keep test output readable.
        builder.UseSetting("Logging:LogLevel:MassTransit", "Critical");
        builder.UseSetting("Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks", "None");
    }
}
