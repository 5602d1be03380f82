using System.Net;

namespace SlmOps.Web.Tests;

public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/signin")]
    [InlineData("/api/v1/runs")] // PostgreSQL is down here: a problem written by the exception handler
    [InlineData("/api/v1/nothing-here")]
    public async Task Every_answer_forbids_sniffing_and_framing_and_limits_the_referrer(string path)
    {
        await using var factory = WebHostFactory.WithNothingListening(out _, out _);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : $"(no {name} on {(int)response.StatusCode})";
}
