using System.Text.Json;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Hardening;

/// <summary>The web app on a real Kestrel port: what the framework refuses must reach the client as it would in production.</summary>
public sealed class KestrelApiHost : ApiTestHost
{
    protected override bool OnKestrel => true;

    public int Port => new Uri(Url).Port;
}

/// <summary>
/// Issue 17: requests the framework refuses (framing, sizes, timeouts) answer application/problem+json that says what to
/// do, on a real Kestrel, written byte for byte. Kestrel refuses some requests while parsing them, before any middleware
/// runs; it answers those with an empty body and no hook to change it: the last test lists them (Problems/README.md).
/// </summary>
public sealed class KestrelRefusalTests(KestrelApiHost host) : IClassFixture<KestrelApiHost>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private string Post(string path, string headers, string body = "") =>
        $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {host.AdminKey}\r\nContent-Type: application/json\r\n{headers}\r\n{body}";

    private static async Task<JsonElement> ProblemAsync(RawHttp.Response response, int status)
    {
        Assert.True(status == response.Status, $"Expected {status}, got {response.Status}: {response.Body}");
        Assert.Equal("application/problem+json", response.ContentType);
        await Task.CompletedTask;
        return JsonDocument.Parse(response.Body).RootElement.Clone();
    }

    private static string Detail(JsonElement problem) => problem.GetProperty("detail").GetString()!;

    [Fact]
    public async Task A_url_past_the_limit_is_a_414_problem_naming_the_limit()
    {
        var response = await RawHttp.SendAsync(host.Port, $"GET /api/v1/runs?search={new string('a', 20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Deadline);

        Assert.Contains($"the limit is {RequestInputGuard.MaxUrlLength:N0}", Detail(await ProblemAsync(response, 414)));
    }

    [Theory]
    [InlineData(1, 40_000)]
    [InlineData(150, 10)]
    public async Task Headers_past_the_limits_are_a_431_problem_that_says_what_to_do(int lines, int valueLength)
    {
        var headers = string.Concat(Enumerable.Range(0, lines).Select(i => $"X-Extra-{i}: {new string('v', valueLength)}\r\n"));

        var response = await RawHttp.SendAsync(host.Port, $"GET /api/v1/runs HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n", Deadline);

        var detail = Detail(await ProblemAsync(response, 431));
        Assert.Contains($"the limits are {RequestInputGuard.MaxHeaderCount} lines and {RequestInputGuard.MaxHeadersBytes:N0} bytes", detail);
        Assert.Contains("clear this site's cookies", detail);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_a_408_problem_once_it_stops_coming()
    {
        // The client keeps the connection open and never sends the other 93 bytes: Kestrel's minimum body data rate ends it.
        var response = await RawHttp.SendAsync(host.Port, Post("/api/v1/runs/prepare", "Content-Length: 100\r\n", """{"a":1}"""), Deadline);

        Assert.Contains("stopped before its Content-Length", Detail(await ProblemAsync(response, 408)));
    }

    [Fact]
    public async Task A_body_longer_than_its_content_length_is_read_to_the_length_and_refused_as_cut_short_json()
    {
        var response = await RawHttp.SendAsync(host.Port, Post("/api/v1/runs/prepare", "Content-Length: 3\r\n", """{"name":"x"}"""), Deadline);

        Assert.Contains("not valid JSON at line 1", Detail(await ProblemAsync(response, 400)));
    }

    [Fact]
    public async Task A_body_over_the_request_size_limit_is_a_413_problem_naming_the_limit()
    {
        var response = await RawHttp.SendAsync(host.Port, Post("/api/v1/runs/prepare", "Content-Length: 40000000\r\n", "{}"), Deadline);

        Assert.Contains("at most 30,000,000 bytes here", Detail(await ProblemAsync(response, 413)));
    }

    [Fact]
    public async Task Malformed_chunked_framing_is_a_400_problem_that_says_how_to_frame_the_body()
    {
        var response = await RawHttp.SendAsync(host.Port, Post("/api/v1/runs/prepare", "Transfer-Encoding: chunked\r\n", "zz\r\n"), Deadline);

        var detail = Detail(await ProblemAsync(response, 400));
        Assert.Contains("could not read the request body: it ended early or its framing is broken", detail);
        Assert.Contains("well-formed chunks", detail);
    }

    [Fact]
    public async Task A_nul_in_the_query_string_reaches_the_app_and_is_a_400_problem_naming_the_parameter()
    {
        var response = await RawHttp.SendAsync(host.Port,
            $"GET /api/v1/runs?search=a%00b HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {host.AdminKey}\r\n\r\n", Deadline);

        Assert.Contains("Query parameter search contains a NUL character", Detail(await ProblemAsync(response, 400)));
    }

    /// <summary>
    /// Refused by Kestrel's HTTP/1.1 parser before the application (and so any middleware) sees a request: Kestrel writes
    /// the status with Content-Length: 0 and closes. ASP.NET Core has no hook for these answers' bodies.
    /// </summary>
    [Theory]
    [InlineData("GET /api/v1/runs/a%00b HTTP/1.1\r\nHost: h\r\n\r\n", 400)] // NUL decoded from the path
    [InlineData("GET /api/v1/runs/a\0b HTTP/1.1\r\nHost: h\r\n\r\n", 400)] // raw NUL in the request line
    [InlineData("POST /api/v1/runs/prepare HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n{}", 400)]
    [InlineData("POST /api/v1/runs/prepare HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n{}", 400)]
    [InlineData("POST /api/v1/runs/prepare HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400)]
    [InlineData("POST /api/v1/runs/prepare HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400)]
    [InlineData("POST /api/v1/runs/prepare HTTP/1.0\r\n\r\n{}", 400)] // HTTP/1.0 body without a Content-Length
    [InlineData("GET /api/v1/runs HTTP/1.1\r\n\r\n", 400)] // no Host
    [InlineData("GET /api/v1/runs HTTP/1.1\r\nHost: h\r\nBad Header: v\r\n\r\n", 400)]
    [InlineData("NOT A REQUEST LINE\r\n\r\n", 400)]
    [InlineData("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505)]
    [InlineData("GET /api/v1/runs?search=LONG_URL HTTP/1.1\r\nHost: h\r\n\r\n", 414)] // past Kestrel's request-line limit (4 x ours)
    [InlineData("GET /api/v1/runs HTTP/1.1\r\nHost: h\r\nX-Big: LONG_HEADER\r\n\r\n", 431)] // past Kestrel's header limit (2 x ours)
    public async Task Kestrel_refuses_these_while_parsing_with_an_empty_body(string request, int status)
    {
        request = request.Replace("LONG_URL", new string('a', 4 * RequestInputGuard.MaxUrlLength + 1))
            .Replace("LONG_HEADER", new string('a', 2 * RequestInputGuard.MaxHeadersBytes + 1));

        var response = await RawHttp.SendAsync(host.Port, request, Deadline);

        Assert.Equal((status, "0", "close", ""), (response.Status, response.Headers["content-length"], response.Headers["connection"], response.Body));
        Assert.False(response.Headers.ContainsKey("x-content-type-options"), "the application's middleware ran after all");
    }
}
