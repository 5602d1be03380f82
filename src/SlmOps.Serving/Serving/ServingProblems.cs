using Microsoft.AspNetCore.Mvc;

namespace SlmOps.Serving;

/// <summary>
/// The one mapping from what serving can fail with to the answer a caller gets: the status, a title and a detail that
/// says what to do, and the fields a client can act on. Used by /api/v1/generate (problem details, or an <c>error</c>
/// event once a stream has begun) and by the OpenAI surface (its error shape).
/// </summary>
public static class ServingProblems
{
    /// <summary>The problem for <paramref name="error"/>, or null for a failure that is ours (answered 500 by the host).</summary>
    public static ProblemDetails? For(Exception error, ILogger logger)
    {
        switch (error)
        {
            case RegistryException e:
                return Problem(e.Status, e.Title, e.Message, e.Details);
            case ServingException e:
                return Problem(e.Status, e.Title, e.Message, e.Details);
            case ServingBusyException e:
                return Problem(StatusCodes.Status429TooManyRequests, "Serving is at capacity", e.Message,
                    new Dictionary<string, object?> { ["retryAfterSeconds"] = e.RetryAfterSeconds });
            case ModelIntegrityException e:
                logger.LogError("Refused to serve: {Message}", e.Message);
                return Problem(StatusCodes.Status503ServiceUnavailable, "The model's weights are not the registered ones", e.Message,
                    new Dictionary<string, object?> { ["registeredSha256"] = e.RegisteredSha256, ["actualSha256"] = e.ActualSha256 });
            case InvalidDataException or FileNotFoundException or DirectoryNotFoundException:
                // A model folder that is missing or fails its manifest: nothing the caller can fix by changing the request.
                logger.LogError(error, "Refused to serve");
                return Problem(StatusCodes.Status503ServiceUnavailable, "The model files cannot be served", error.Message);
            default:
                return null;
        }
    }

    /// <summary>Retry-After for answers that have one (429).</summary>
    public static void AddHeaders(HttpResponse response, ProblemDetails problem)
    {
        if (problem.Extensions.TryGetValue("retryAfterSeconds", out var seconds) && seconds is int s) response.Headers.RetryAfter = s.ToString();
    }

    private static ProblemDetails Problem(int status, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[key] = value;
        return problem;
    }
}
