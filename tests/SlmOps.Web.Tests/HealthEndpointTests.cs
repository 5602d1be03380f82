using System.Net;
using System.Text.Json;

namespace SlmOps.Web.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Liveness_answers_200_even_when_every_dependency_is_down()
    {
        await using var factory = WebHostFactory.WithNothingListening(out _, out _);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_is_503_and_names_each_unreachable_service_and_its_address()
    {
        await using var factory = WebHostFactory.WithNothingListening(out var postgresPort, out var rabbitPort);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = ChecksByName(body);
        AssertUnreachable(checks["postgres"], "PostgreSQL", $"127.0.0.1:{postgresPort}");
        AssertUnreachable(checks["rabbitmq"], "RabbitMQ", $"127.0.0.1:{rabbitPort}");
        // A person reads this answer: it must say what failed, never dump a stack trace.
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
    }

    [Fact]
    public async Task Readiness_is_503_and_names_the_missing_setting_when_postgres_is_not_configured()
    {
        await using var factory = new WebHostFactory("", TestStack.RabbitMqHost, TestStack.RabbitMqPort);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");
        var postgres = ChecksByName(await response.Content.ReadAsStringAsync())["postgres"];

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", postgres.GetProperty("status").GetString());
        Assert.Equal("PostgreSQL is not configured: set ConnectionStrings:Postgres", postgres.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Readiness_is_200_when_postgres_and_rabbitmq_of_the_dev_stack_are_reachable()
    {
        await using var factory = WebHostFactory.ForRealStack();
        using var client = factory.CreateClient();

        // The bus connects in the background after start; give it a bounded moment.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage response;
        string body;
        do
        {
            response = await client.GetAsync("/health/ready");
            body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200 from /health/ready, got {(int)response.StatusCode}: {body}");
        var checks = ChecksByName(body);
        Assert.Equal("Healthy", checks["postgres"].GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["rabbitmq"].GetProperty("status").GetString());
    }

    private static Dictionary<string, JsonElement> ChecksByName(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(check => check.GetProperty("name").GetString()!, check => check.Clone());
    }

    private static void AssertUnreachable(JsonElement check, string service, string address)
    {
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Equal(service, check.GetProperty("service").GetString());
        Assert.Equal(address, check.GetProperty("address").GetString());
        var description = check.GetProperty("description").GetString()!;
        Assert.Contains($"{service} is unreachable at {address}", description);
        Assert.Contains("refused", description, StringComparison.OrdinalIgnoreCase);
    }
}
