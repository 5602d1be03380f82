using Microsoft.AspNetCore.Http.HttpResults;

namespace SlmOps.Web.Problems;

/// <summary>
/// RFC 7807 answers with a detail a person can act on. Every API file returns these instead of bare status codes,
/// so a client always gets a title, a status and a sentence that says what to change.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string detail, string title = "The request is invalid", IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: extensions);

    public static ProblemHttpResult NotFound(string detail, string title = "Not found") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Conflict(string detail, string title = "Conflict") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    public static ProblemHttpResult PayloadTooLarge(long limitBytes, string setting) =>
        TypedResults.Problem(
            $"The upload is larger than the limit of {limitBytes:N0} bytes ({setting}). Split the file or ask an administrator to raise the limit.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Upload too large",
            extensions: new Dictionary<string, object?> { ["limitBytes"] = limitBytes });
}
