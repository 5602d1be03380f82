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
        // Kestrel's own 414 has no body; let RequestInputGuard answer long URLs with a problem details body instead.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options =>
            options.Limits.MaxRequestLineSize = Math.Max(options.Limits.MaxRequestLineSize, 4 * RequestInputGuard.MaxUrlLength));
        return services;
    }

    // Answers that the framework writes itself (no route, wrong media type) come without a detail; say what to do.
    private static void FillInDetail(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null) return;
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is served at {request.Method} {request.Path}; /openapi/v1.json lists the API.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}; /openapi/v1.json lists its methods.",
            StatusCodes.Status400BadRequest => $"{request.Method} {request.Path} could not read the request; /openapi/v1.json describes what it accepts.",
            StatusCodes.Status411LengthRequired => $"{request.Method} {request.Path} needs a Content-Length header or a chunked body.",
            StatusCodes.Status413PayloadTooLarge => $"The body of {request.Method} {request.Path} is larger than the server accepts.",
            StatusCodes.Status414UriTooLong => $"The URL is too long; the limit is {RequestInputGuard.MaxUrlLength:N0} characters. Send long input in a request body.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{request.Method} {request.Path} does not accept Content-Type '{request.ContentType}'; /openapi/v1.json names the media type of its request body.",
            _ => null,
        };
    }

    /// <summary>Register first, so it wraps every endpoint (the developer exception page included).</summary>
    public static WebApplication UseApiProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestInputGuard>();
        return app;
    }
}
