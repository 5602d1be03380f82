using System.Net;

namespace SlmOps.Web.Tests.Apis;

public sealed class ProblemDetailsTests
{
    [Fact]
    public async Task An_unhandled_error_is_a_500_problem_with_a_trace_id_and_no_stack_trace()
    {
        // PostgreSQL is unreachable, so the workers query throws inside the endpoint.
        await using var factory = WebHostFactory.WithNothingListening(out var _, out var _);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/api/v1/workers");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("trace id", body);
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
