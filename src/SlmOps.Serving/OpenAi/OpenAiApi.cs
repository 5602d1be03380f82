using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SlmOps.Data.Entities;
using SlmOps.Serving.Apis;

namespace SlmOps.Serving.OpenAi;

/// <summary>
/// An OpenAI-compatible surface, so existing clients (the official SDKs, LangChain, curl scripts) work unchanged:
/// <c>POST /v1/completions</c> (streamed or not) and <c>GET /v1/models</c>, with the same API keys as the rest of the
/// API (<c>Authorization: Bearer</c>). Errors use OpenAI's shape, {"error": {"message", "type", "param", "code"}}.
/// </summary>
public static class OpenAiApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("OpenAI-compatible").RequireApiRole(ApiKeyRole.Viewer);
        v1.MapPost("/completions", CreateCompletion).WithName(nameof(CreateCompletion))
            .WithSummary("OpenAI completions: model is task@alias, task@version, a task (its production alias) or a base model name; n=1; stream supported");
        v1.MapGet("/models", ListModels).WithName(nameof(ListModels))
            .WithSummary("What /v1/completions can serve: task@alias for each alias of a follower, name@version for each base model version");
        return app;
    }

    public static async Task<IResult> ListModels(HttpContext context, ModelCatalog catalog, CancellationToken ct) =>
        TypedResults.Json(new ModelList("list", await catalog.ListAsync(TeamCaller.Of(context.User), ct)), Json);

    public static async Task<IResult> CreateCompletion(HttpContext context, ModelCatalog catalog, SlmServer server, ServingOptions options,
        ILogger<ModelCatalog> logger, CancellationToken ct)
    {
        CompletionRequest? sent;
        try
        {
            sent = await context.Request.ReadFromJsonAsync<CompletionRequest>(Json, ct);
        }
        catch (JsonException error)
        {
            return Error(StatusCodes.Status400BadRequest, $"The body is not a completion request: {error.Message}", "invalid_request_error", null, null);
        }
        if (sent is null) return Error(StatusCodes.Status400BadRequest, "Send a JSON body with model and prompt.", "invalid_request_error", null, null);
        var (request, param, message) = CompletionRequestValidator.Check(sent, options);
        if (request is null) return Error(StatusCodes.Status400BadRequest, message!, "invalid_request_error", param, null);

        var id = $"cmpl-{Guid.NewGuid():N}";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var events = sent.Stream == true ? new ServerSentEvents(context.Response, Json) : null;
        Func<StreamedToken, Task>? onToken = events is null ? null : token => events.WriteAsync(null,
            new Completion(id, "text_completion", created, sent.Model!, [new CompletionChoice(token.Text, 0, null, null)], null, ""), ct);
        try
        {
            var target = await catalog.ResolveAsync(TeamCaller.Of(context.User), sent.Model!, ct);
            var (text, promptTokens, tokens, seed) = target switch
            {
                TaskModelTarget task => Usage(await server.ServeAsync(task.Resolved, request, Stopwatch.GetTimestamp(), ct, onToken)),
                BaseModelTarget llm => await server.ServeLlmAloneAsync(llm.Version, request, ct, onToken),
                _ => throw new InvalidOperationException($"Unknown model target {target}."),
            };
            var usage = new CompletionUsage(promptTokens, tokens, promptTokens + tokens);
            var fingerprint = $"seed-{seed}";
            if (events is null)
            {
                return TypedResults.Json(new Completion(id, "text_completion", created, sent.Model!,
                    [new CompletionChoice(text, 0, null, "length")], usage, fingerprint), Json);
            }
            await events.WriteAsync(null, new Completion(id, "text_completion", created, sent.Model!, [new CompletionChoice("", 0, null, "length")], usage, fingerprint), ct);
            await context.Response.WriteAsync("data: [DONE]\n\n", ct);
            return TypedResults.Empty;
        }
        catch (Exception error) when (ServingProblems.For(error, logger) is { } problem)
        {
            var (type, code) = Classify(problem);
            var body = new OpenAiError(new OpenAiErrorBody(problem.Detail ?? problem.Title ?? "Serving failed", type,
                problem.Status == StatusCodes.Status404NotFound ? "model" : null, code));
            if (events is { Started: true })
            {
                await events.WriteAsync(null, body, CancellationToken.None);
                return TypedResults.Empty;
            }
            ServingProblems.AddHeaders(context.Response, problem);
            return TypedResults.Json(body, Json, statusCode: problem.Status);
        }
    }

    private static (string Text, int PromptTokens, int Tokens, ulong Seed) Usage(GenerateResponse response) =>
        (response.Text, response.PromptTokens, response.Tokens, response.Seed);

    private static (string Type, string? Code) Classify(ProblemDetails problem) => problem.Status switch
    {
        StatusCodes.Status404NotFound => ("invalid_request_error", "model_not_found"),
        StatusCodes.Status429TooManyRequests => ("rate_limit_error", "rate_limit_exceeded"),
        >= 500 => ("server_error", null),
        _ => ("invalid_request_error", null),
    };

    private static IResult Error(int status, string message, string type, string? param, string? code) =>
        TypedResults.Json(new OpenAiError(new OpenAiErrorBody(message, type, param, code)), Json, statusCode: status);
}
