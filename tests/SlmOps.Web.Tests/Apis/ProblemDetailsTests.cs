using System.Net;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace SlmOps.Web.Tests.Apis;

public sealed class ProblemDetailsTests
{
    [Fact]
    public async Task An_unhandled_error_is_a_500_problem_with_a_trace_id_and_no_stack_trace()
    {
        // A bug: the OpenAPI document (anonymous, no database) throws while it is built.
        await using var broken = WebHostFactory.WithNothingListening(out var _, out var _);
        await using var factory = broken.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.Configure<OpenApiOptions>("v1", options =>
                options.AddDocumentTransformer((_, _, _) => throw new InvalidOperationException("a bug in a transformer")))));
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("trace id", body);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
    }

    [Theory]
    [InlineData("/api/v1/runs")]
    [InlineData("/api/v1/workers")]
    [InlineData("/api/v1/datasets")]
    public async Task While_postgres_is_down_an_api_call_is_a_503_problem_saying_so_with_retry_after(string path)
    {
        // Nothing listens on PostgreSQL's port: the key check (and any query) cannot connect.
        await using var factory = WebHostFactory.WithNothingListening(out var _, out var _);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(DatabaseUnavailable.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        var problem = await ApiTestHost.ReadAsync<Problem>(response);
        Assert.Equal((503, DatabaseUnavailable.Title), (problem.Status, problem.Title));
        Assert.Contains($"GET {path} needs the database (PostgreSQL), which is unavailable right now", problem.Detail);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem_pointing_at_the_api_description()
    {
        await using var factory = WebHostFactory.WithNothingListening(out var _, out var _);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ApiTestHost.ReadAsync<Problem>(response);
        Assert.Equal("Nothing is served at GET /api/v1/nothing-here; /openapi/v1.json lists the API.", problem.Detail);
    }
}
