using Microsoft.AspNetCore.Http.Features;
using SlmOps.ApiHost.Problems;

namespace Microsoft.Extensions.DependencyInjection;

public static class ProblemDetailsExtensions
{
    /// <summary>Problem details for every error answer, and an exception handler that never leaks a stack trace.</summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = FillInDetail);
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        // Binding failures throw in every environment, so UnhandledExceptionHandler can say what was wrong with the input.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Kestrel's own 414 and 431 have no body; its limits sit above RequestInputGuard's, which answers long URLs and
        // large headers with a problem details body instead. Past Kestrel's limits the empty answer remains (Problems/README.md).
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options =>
        {
            options.Limits.MaxRequestLineSize = Math.Max(options.Limits.MaxRequestLineSize, 4 * RequestInputGuard.MaxUrlLength);
            options.Limits.MaxRequestHeadersTotalSize = Math.Max(options.Limits.MaxRequestHeadersTotalSize, 2 * RequestInputGuard.MaxHeadersBytes);
            options.Limits.MaxRequestHeaderCount = Math.Max(options.Limits.MaxRequestHeaderCount, 2 * RequestInputGuard.MaxHeaderCount);
        });
        return services;
    }

    // Answers that the framework writes itself (no route, wrong media type, a body Kestrel could not read) come without a
    // detail; say what happened and what to do. A 400 without one on a request with a body is the endpoint's body read
    // failing in Kestrel (bad chunk framing, a body cut short): the minimal API sets the status and keeps the reason.
    private static void FillInDetail(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null) return;
        var request = context.HttpContext.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is served at {request.Method} {request.Path}; /openapi/v1.json lists the API.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}; /openapi/v1.json lists its methods.",
            StatusCodes.Status400BadRequest when hasBody =>
                $"{request.Method} {request.Path} could not read the request body: it ended early or its framing is broken. " +
                "Send the body whole: exactly Content-Length bytes, or well-formed chunks (Transfer-Encoding: chunked).",
            StatusCodes.Status400BadRequest => $"{request.Method} {request.Path} could not read the request; /openapi/v1.json describes what it accepts.",
            StatusCodes.Status411LengthRequired => $"{request.Method} {request.Path} needs a Content-Length header or a chunked body.",
            StatusCodes.Status413PayloadTooLarge =>
                $"The body of {request.Method} {request.Path} is larger than the server accepts{BodyLimit(context.HttpContext)}. Send less; large files go to /api/v1/datasets or /api/v1/artifacts.",
            StatusCodes.Status408RequestTimeout =>
                $"The body of {request.Method} {request.Path} arrived too slowly or stopped before its Content-Length; send it whole.",
            StatusCodes.Status414UriTooLong => $"The URL is too long; the limit is {RequestInputGuard.MaxUrlLength:N0} characters. Send long input in a request body.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{request.Method} {request.Path} does not accept Content-Type '{request.ContentType}'; /openapi/v1.json names the media type of its request body.",
            _ => null,
        };
    }

    private static string BodyLimit(HttpContext context) =>
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit ? $" (at most {limit:N0} bytes here)" : "";

    /// <summary>Register first, so it wraps every endpoint (the developer exception page included).</summary>
    public static WebApplication UseApiProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestInputGuard>();
        return app;
    }
}
