using Microsoft.AspNetCore.Http.HttpResults;

namespace SlmOps.ApiHost.Problems;

/// <summary>
/// RFC 7807 answers with a detail a person can act on. Every API file returns these instead of bare status codes,
/// so a client always gets a title, a status and a sentence that says what to change.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string detail, string title = "The request is invalid", IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: extensions);

    /// <summary>A query parameter outside its allowed range; the answer names the range, never clamps silently.</summary>
    public static ProblemHttpResult OutOfRange(string parameter, long value, long min, long max) =>
        BadRequest($"{parameter} must be between {min:N0} and {max:N0}; got {value:N0}.", "A parameter is out of range",
            new Dictionary<string, object?> { ["parameter"] = parameter, ["minimum"] = min, ["maximum"] = max });

    /// <summary>The first parameter outside its range, or null when all are inside.</summary>
    public static ProblemHttpResult? FirstOutOfRange(params (string Parameter, long Value, long Min, long Max)[] checks) =>
        checks.FirstOrDefault(c => c.Value < c.Min || c.Value > c.Max) is { Parameter: not null } bad ? OutOfRange(bad.Parameter, bad.Value, bad.Min, bad.Max) : null;

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
