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
            .Produces<GenerateResponse>()
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/serving/status", GetServingStatus).WithName(nameof(GetServingStatus))
            .WithSummary("Resident LLMs and the SLM cache: bytes, capacity, hits, misses, evictions, entries by recent use");
        return app;
    }

    public static async Task<IResult> Generate(
        GenerateRequest sent, HttpContext context, GenerationService serving, ServingOptions options, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        ILogger<GenerationService> logger, CancellationToken ct)
    {
        var conflicts = sent.DeprecatedNameConflicts();
        if (conflicts.Count > 0) return ApiProblems.BadRequest(string.Join(" ", conflicts));
        var deprecated = sent.DeprecatedNamesUsed();
        if (deprecated.Count > 0)
        {
            // The way Kubernetes flags deprecated API use: clients and proxies show 299 warnings to people.
            context.Response.Headers.Append("Warning", $"299 slmops \"Deprecated request names: {string.Join(", ", deprecated)}; the snake_case names are accepted for one more release\"");
            logger.LogWarning("POST /api/v1/generate used deprecated request names ({Names})", string.Join(", ", deprecated));
        }
        var request = sent.WithDeprecatedNamesResolved();
        var errors = GenerateRequestValidator.Errors(request, options);
        // "errors" lists one message per problem, each starting with the field it is about (the playground places them).
        if (errors.Count > 0) return ApiProblems.BadRequest(string.Join(" ", errors), extensions: new Dictionary<string, object?> { ["errors"] = errors });
        var events = request.Stream == true ? new ServerSentEvents(context.Response, json.Value.SerializerOptions) : null;
        try
        {
            var answer = await serving.GenerateAsync(TeamCaller.Of(context.User), request, ct, events is null ? null : token => events.WriteAsync(
                token.LlmAlone ? GenerateEvents.LlmAloneToken : GenerateEvents.Token, new { index = token.Index, tokenId = token.TokenId, text = token.Text }, ct));
            if (events is null) return TypedResults.Ok(answer);
            await events.WriteAsync(GenerateEvents.Done, answer, ct);
            return TypedResults.Empty;
        }
        catch (Exception error) when (ServingProblems.For(error, logger) is { } problem)
        {
            if (events is { Started: true })
            {
                await events.WriteAsync(GenerateEvents.Error, problem, CancellationToken.None);
                return TypedResults.Empty;
            }
            ServingProblems.AddHeaders(context.Response, problem);
            return TypedResults.Problem(problem);
        }
    }

    public static Ok<ServingStatusDto> GetServingStatus(SlmServer server) => TypedResults.Ok(server.Status());

}
