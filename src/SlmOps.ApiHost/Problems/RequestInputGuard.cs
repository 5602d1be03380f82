using Microsoft.AspNetCore.Mvc;

namespace SlmOps.ApiHost.Problems;

/// <summary>
/// The checks every request passes before routing: a URL and headers of bounded size, no NUL or control characters in
/// the path or in any query parameter (they would reach PostgreSQL, which refuses NUL), and a JSON body kept readable
/// so a binding refusal can quote the value it could not read (<see cref="BadRequestDescriber"/>). Kestrel's own limits
/// sit above these (<see cref="ProblemDetailsExtensions"/>), so up to them the answer is a problem details body instead
/// of Kestrel's empty one; src/SlmOps.ApiHost/Problems/README.md lists what Kestrel still refuses before any middleware.
/// </summary>
public sealed class RequestInputGuard(RequestDelegate next, IProblemDetailsService problems)
{
    /// <summary>Longest path plus query string answered; Kestrel's own request-line limit is set above it, so this answer is the one clients see.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Header lines and their total size (names and values) answered with a 431 problem: Kestrel's defaults.</summary>
    public const int MaxHeaderCount = 100;
    public const int MaxHeadersBytes = 32 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var urlLength = (request.PathBase.Value?.Length ?? 0) + (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);
        if (urlLength > MaxUrlLength)
        {
            await RefuseAsync(context, StatusCodes.Status414UriTooLong, "The URL is too long",
                $"The path and query string are {urlLength:N0} characters long; the limit is {MaxUrlLength:N0}. Send long input in a request body.");
            return;
        }
        var (headerCount, headerBytes) = HeaderSize(request.Headers);
        if (headerCount > MaxHeaderCount || headerBytes > MaxHeadersBytes)
        {
            await RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request headers are too large",
                $"The request has {headerCount:N0} header lines of {headerBytes:N0} bytes; the limits are {MaxHeaderCount:N0} lines and " +
                $"{MaxHeadersBytes:N0} bytes. A browser usually sends this after cookies have grown: clear this site's cookies, or send fewer or shorter headers.");
            return;
        }
        if (InputText.Unsafe(request.Path.Value, multiline: false) is { } pathWhy)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "The URL has a character that cannot be used",
                $"The path {pathWhy}; remove it (NUL and control characters are not accepted in URLs).");
            return;
        }
        foreach (var (key, values) in request.Query)
        {
            var keyWhy = InputText.Unsafe(key, multiline: false);
            var valueWhy = values.Select(v => InputText.Unsafe(v, multiline: false)).FirstOrDefault(w => w is not null);
            if ((keyWhy ?? valueWhy) is { } why)
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, "A query parameter has a character that cannot be used",
                    $"Query parameter {(keyWhy is null ? key : "name")} {why}; remove it (NUL and control characters are not accepted in query parameters).",
                    new Dictionary<string, string[]> { [key] = [$"{why}."] });
                return;
            }
        }
        if (request.HasJsonContentType() && request.ContentLength is > 0 and <= BadRequestDescriber.QuotedBodyLimitBytes)
        {
            request.EnableBuffering();
        }
        await next(context);
    }

    private static (int Lines, long Bytes) HeaderSize(IHeaderDictionary headers)
    {
        var (lines, bytes) = (0, 0L);
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                lines++;
                bytes += name.Length + (value?.Length ?? 0);
            }
        }
        return (lines, bytes);
    }

    private async Task RefuseAsync(HttpContext context, int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null) problem.Extensions["errors"] = errors;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
