using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SlmOps.Worker.Tests;

public sealed class WorkerHostTests
{
    private sealed class WorkerFactory(string postgres, int rabbitPort) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Postgres", postgres);
            builder.UseSetting("RabbitMq:Host", "127.0.0.1");
            builder.UseSetting("RabbitMq:Port", rabbitPort.ToString());
            // The bus logs every failed connection attempt with a stack trace; the assertions read readiness instead.
            builder.UseSetting("Logging:LogLevel:MassTransit", "Critical");
            builder.UseSetting("Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks", "None");
        }
    }

    [Fact]
    public async Task Readiness_is_503_naming_postgres_and_rabbitmq_when_neither_listens()
    {
        var postgresPort = ClosedPort();
        var rabbitPort = ClosedPort();
        await using var factory = new WorkerFactory($"Host=127.0.0.1;Port={postgresPort};Database=slmops;Username=slmops;Password=slmops", rabbitPort);
        using var client = factory.CreateClient();

        var live = await client.GetAsync("/health");
        var ready = await client.GetAsync("/health/ready");
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var descriptions = body.RootElement.GetProperty("checks").EnumerateArray()
            .Select(check => check.GetProperty("description").GetString())
            .ToList();
        Assert.Contains(descriptions, d => d!.StartsWith($"PostgreSQL is unreachable at 127.0.0.1:{postgresPort}", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d!.StartsWith($"RabbitMQ is unreachable at 127.0.0.1:{rabbitPort}", StringComparison.Ordinal));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
