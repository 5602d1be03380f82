using SlmOps.Web.Problems;

namespace Microsoft.Extensions.DependencyInjection;

public static class ProblemDetailsExtensions
{
    /// <summary>Problem details for every error answer, and an exception handler that never leaks a stack trace.</summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = FillInDetail);
        services.AddExceptionHandler<UnhandledExceptionHandler>();
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
        return app;
    }
}
