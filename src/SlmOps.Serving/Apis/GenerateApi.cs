using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;

namespace SlmOps.Serving.Apis;

/// <summary>Text from the resident LLM composed with a task's SLM, chosen per request by alias or version.</summary>
public static class GenerateApi
{
    public static IEndpointRouteBuilder MapGenerateApi(this IEndpointRouteBuilder app)
    {
        // Generating reads a model and changes nothing: viewer, like every other read.
        var api = app.MapGroup("/api/v1").WithTags("Serving").RequireApiRole(ApiKeyRole.Viewer);
        api.MapPost("/generate", Generate).WithName(nameof(Generate))
            .WithSummary("Continue a prompt with the LLM + the task's SLM (alias default production, or an explicit version); compare=true also returns the LLM alone")
            .WithDescription("camelCase JSON. The snake_case names max_tokens and top_k of the first release are still read for one release; " +
                "a request that uses them is answered with a Warning header (299) naming the names to send instead.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/serving/status", GetServingStatus).WithName(nameof(GetServingStatus))
            .WithSummary("Resident LLMs and the SLM cache: bytes, capacity, hits, misses, evictions, entries by recent use");
        return app;
    }

    public static async Task<Results<Ok<GenerateResponse>, ProblemHttpResult>> Generate(
        GenerateRequest sent, HttpResponse response, GenerationService serving, ServingOptions options, ILogger<GenerationService> logger, CancellationToken ct)
    {
        var conflicts = sent.DeprecatedNameConflicts();
        if (conflicts.Count > 0) return ApiProblems.BadRequest(string.Join(" ", conflicts));
        var deprecated = sent.DeprecatedNamesUsed();
        if (deprecated.Count > 0)
        {
            // The way Kubernetes flags deprecated API use: clients and proxies show 299 warnings to people.
            response.Headers.Append("Warning", $"299 slmops \"Deprecated request names: {string.Join(", ", deprecated)}; the snake_case names are accepted for one more release\"");
            logger.LogWarning("POST /api/v1/generate used deprecated request names ({Names})", string.Join(", ", deprecated));
        }
        var request = sent.WithDeprecatedNamesResolved();
        var errors = GenerateRequestValidator.Errors(request, options);
        // "errors" lists one message per problem, each starting with the field it is about (the playground places them).
        if (errors.Count > 0) return ApiProblems.BadRequest(string.Join(" ", errors), extensions: new Dictionary<string, object?> { ["errors"] = errors });
        try
        {
            return TypedResults.Ok(await serving.GenerateAsync(request, ct));
        }
        catch (RegistryException e)
        {
            return Problem(e.Status, e.Title, e.Message, e.Details);
        }
        catch (ServingException e)
        {
            return Problem(e.Status, e.Title, e.Message, e.Details);
        }
        catch (ModelIntegrityException e)
        {
            logger.LogError("Refused to serve: {Message}", e.Message);
            return Problem(StatusCodes.Status503ServiceUnavailable, "The model's weights are not the registered ones", e.Message,
                new Dictionary<string, object?> { ["registeredSha256"] = e.RegisteredSha256, ["actualSha256"] = e.ActualSha256 });
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            // A model folder that is missing or fails its manifest: nothing the caller can fix by changing the request.
            logger.LogError(e, "Refused to serve {Task}", request.Task);
            return Problem(StatusCodes.Status503ServiceUnavailable, "The model files cannot be served", e.Message);
        }
    }

    public static Ok<ServingStatusDto> GetServingStatus(SlmServer server) => TypedResults.Ok(server.Status());

    private static ProblemHttpResult Problem(int status, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
}
