using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SlmOps.ApiHost.Problems;

/// <summary>
/// Turns an exception no endpoint handled into a problem details answer. The client gets a trace id to quote; the
/// exception and its stack trace go to the log only, never into the response.
/// </summary>
internal sealed class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var traceId = Activity.Current?.Id ?? context.TraceIdentifier;
        if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType } binding
            && !context.Response.HasStarted)
        {
            // The endpoint could not bind its parameters: say which field, what it should be, and what came.
            var described = await BadRequestDescriber.DescribeAsync(context, binding);
            context.Response.StatusCode = binding.StatusCode;
            var problem = new ProblemDetails { Status = binding.StatusCode, Title = described.Title, Detail = described.Detail, Extensions = { ["traceId"] = traceId } };
            if (described.Errors is { } fields) problem.Extensions["errors"] = fields;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        }
        var (status, title, detail) = exception switch
        {
            // PostgreSQL down or unreachable (on whichever endpoint, the key check included): try again later.
            _ when DatabaseUnavailable.IsCause(exception) => (StatusCodes.Status503ServiceUnavailable, DatabaseUnavailable.Title,
                DatabaseUnavailable.Detail(context.Request, traceId)),
            // Kestrel's own limits (request body size, malformed requests) carry the status they mean.
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read", bad.Message),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
                (499, "Request aborted", "The client closed the connection."),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error",
                $"The server failed to process the request. The error was logged; quote trace id {traceId} when reporting it."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning("The database is unavailable on {Method} {Path} (trace {TraceId}): {Reason}",
                context.Request.Method, context.Request.Path, traceId, exception.GetBaseException().Message);
            context.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path} (trace {TraceId})", context.Request.Method, context.Request.Path, traceId);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status, Title = title, Detail = detail, Extensions = { ["traceId"] = traceId },
            },
        });
    }
}
