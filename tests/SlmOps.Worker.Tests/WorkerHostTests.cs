using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SlmOps.Worker.Tests;

/// <summary>The worker's readiness: the broker and the web host at Worker:ApiUrl (its only dependencies; no database).</summary>
public sealed class WorkerHostTests
{
    private sealed class WorkerFactory(string apiUrl, int rabbitPort, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            builder.UseSetting("Worker:ApiUrl", apiUrl);
            builder.UseSetting("Worker:ApiKey", "slm_abcdefgh_" + new string('x', 40));
            builder.UseSetting("RabbitMq:Host", "127.0.0.1");
            builder.UseSetting("RabbitMq:Port", rabbitPort.ToString());
            // The bus logs every failed connection attempt with a stack trace; the assertions read readiness instead.
            builder.UseSetting("Logging:LogLevel:MassTransit", "Critical");
            builder.UseSetting("Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks", "None");
        }
    }

    [Fact]
    public async Task Readiness_is_503_naming_the_web_host_and_rabbitmq_when_neither_answers()
    {
        var rabbitPort = ClosedPort();
        // A stand-in web host that accepts the key while the worker starts, then goes away.
        var stand = WebApplication.CreateSlimBuilder();
        stand.WebHost.UseUrls("http://127.0.0.1:0");
        await using var web = stand.Build();
        web.MapGet("/api/v1/worker/whoami", () => Results.Ok(new { name = "stand-in", role = "worker" }));
        await web.StartAsync();
        var url = web.Urls.First();

        await using var factory = new WorkerFactory(url, rabbitPort);
        using var client = factory.CreateClient();
        await web.StopAsync();

        var live = await client.GetAsync("/health");
        var ready = await client.GetAsync("/health/ready");
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var descriptions = body.RootElement.GetProperty("checks").EnumerateArray()
            .Select(check => check.GetProperty("description").GetString())
            .ToList();
        Assert.Contains(descriptions, d => d!.StartsWith($"SlmOps web host is unreachable at {url}", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d!.StartsWith($"RabbitMQ is unreachable at 127.0.0.1:{rabbitPort}", StringComparison.Ordinal));
        Assert.DoesNotContain(descriptions, d => d!.Contains("PostgreSQL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_idle_worker_reports_its_presence_to_the_web_host_at_start_and_again()
    {
        var reports = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        var stand = WebApplication.CreateSlimBuilder();
        stand.WebHost.UseUrls("http://127.0.0.1:0");
        await using var web = stand.Build();
        web.MapGet("/api/v1/worker/whoami", () => Results.Ok(new { name = "stand-in", role = "worker" }));
        web.MapPost("/api/v1/worker/presence", async (HttpRequest request) =>
        {
            reports.Writer.TryWrite(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body));
            return Results.NoContent();
        });
        await web.StartAsync();

        await using var factory = new WorkerFactory(web.Urls.First(), ClosedPort(), new Dictionary<string, string>
        {
            ["Worker:Name"] = "presence-box", ["Worker:Slots"] = "2", ["Worker:PresenceSeconds"] = "1",
        });
        _ = factory.Services; // starts the host: the key check, then the presence reports
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = await reports.Reader.ReadAsync(deadline.Token);
        var second = await reports.Reader.ReadAsync(deadline.Token); // 1 s later: it keeps reporting while idle

        Assert.Equal("presence-box", first.GetProperty("worker").GetString());
        Assert.Equal("cpu", first.GetProperty("device").GetString());
        Assert.Equal(2, first.GetProperty("slots").GetInt32());
        Assert.Equal(first.GetProperty("worker").GetString(), second.GetProperty("worker").GetString());
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
