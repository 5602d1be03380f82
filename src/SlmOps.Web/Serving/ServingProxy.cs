using Microsoft.AspNetCore.Http.Features;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Serving;

/// <summary>
/// The web host keeps <c>POST /api/v1/generate</c> and <c>GET /api/v1/serving/status</c> for existing clients by
/// forwarding them to the serving host: the body, content type and Accept as sent; the caller's own key when it sent
/// one (the serving host checks it), this host's <c>ServingHost:Key</c> for a dashboard session (authorized here). The
/// answer comes back as the serving host gave it, status, problem details, Warning and Retry-After included, and a
/// streamed answer is relayed as it arrives. A client that goes away cancels the forwarded request.
/// </summary>
public static class ServingProxy
{
    private static readonly string[] RequestHeaders = ["Authorization", "X-Api-Key", "Accept"];
    private static readonly string[] ResponseHeaders = ["Warning", "Retry-After", "Cache-Control"];

    public static IEndpointRouteBuilder MapServingProxy(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Serving").RequireApiRole(ApiKeyRole.Viewer);
        api.MapPost("/generate", Forward).WithName("Generate")
            .WithSummary("Continue a prompt with the LLM + the task's SLM; forwarded to the serving host (SlmOps.Serving), which documents the request")
            .WithDescription("camelCase JSON: task, alias | version, prompt, maxTokens, temperature, topK, seed, compare, stream. " +
                "stream=true answers text/event-stream (token events, then done). The snake_case names max_tokens and top_k are still read for one release.")
            .Accepts<GenerateRequest>("application/json")
            .Produces<GenerateResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/serving/status", Forward).WithName("GetServingStatus")
            .WithSummary("Resident LLMs and the SLM cache of the serving host this web host forwards to")
            .Produces<ServingStatusDto>();
        return app;
    }

    private static async Task<IResult> Forward(HttpContext context, ServingClient serving, TeamAccess teams, CancellationToken ct)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), incoming.Path.Value!.TrimStart('/') + incoming.QueryString);
        if (HttpMethods.IsPost(incoming.Method))
        {
            // Read whole: a generate request is small (the request size limits apply), and the body may already have been
            // buffered and read by the input checks.
            if (incoming.Body.CanSeek) incoming.Body.Position = 0;
            var body = new MemoryStream();
            await incoming.Body.CopyToAsync(body, ct);
            body.Position = 0;
            // A dashboard session is forwarded with this host's key, which sees every team: the team rule is applied here.
            if (!ApiKeyAuthenticationHandler.HasKeyHeader(incoming) && await TaskOf(body, ct) is { } task
                && await teams.TaskModelAsync(TeamCaller.Of(context.User), TeamRight.Read, task, ct) is { Allowed: false })
            {
                var unknown = SlmVersionResolver.TaskNotFound(task);
                return TypedResults.Problem(unknown.Message, statusCode: unknown.Status, title: unknown.Title);
            }
            body.Position = 0;
            request.Content = new StreamContent(body);
            if (incoming.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        foreach (var name in RequestHeaders)
        {
            if (incoming.Headers.TryGetValue(name, out var values)) request.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        HttpResponseMessage response;
        try
        {
            response = await serving.SendAsync(request, null, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (ServingHostUnavailable error)
        {
            return TypedResults.Problem(error.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The serving host is unavailable",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = 5 });
        }
        return new Relayed(response);
    }

    private static async Task<string?> TaskOf(Stream body, CancellationToken ct)
    {
        try
        {
            using var json = await System.Text.Json.JsonDocument.ParseAsync(body, cancellationToken: ct);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("task", out var task)
                   && task.ValueKind == System.Text.Json.JsonValueKind.String ? task.GetString()?.Trim() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // the serving host answers a body it cannot read
        }
    }

    /// <summary>Writes the serving host's answer through, flushing as it streams (server-sent events arrive per token).</summary>
    private sealed class Relayed(HttpResponseMessage response) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            using (response)
            {
                context.Response.StatusCode = (int)response.StatusCode;
                foreach (var name in ResponseHeaders)
                {
                    if (response.Headers.TryGetValues(name, out var values)) context.Response.Headers[name] = values.ToArray();
                }
                if (response.Content.Headers.ContentType is { } type) context.Response.ContentType = type.ToString();
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
                var buffer = new byte[8192];
                int read;
                while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
        }
    }
}
