using Microsoft.AspNetCore.Mvc;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Auth;

/// <summary>The 401 and 403 answers of the API, as problem details that say how to get in.</summary>
public static class AuthProblems
{
    /// <summary>Set by the key handler when a presented key was refused, so the challenge can say why.</summary>
    public const string FailureItem = "slmops:auth-failure";

    public const string HowToAuthenticate =
        $"Send an API key as 'Authorization: Bearer <key>' or '{AuthSchemes.ApiKeyHeader}: <key>'. " +
        "An admin creates keys with POST /api/v1/api-keys (the first one with `SlmOps.Web create-admin-key`).";

    /// <summary>What a worker key may call; said to a worker key that strays, and on the sign-in page.</summary>
    public const string WorkerScope =
        "Worker keys may call only the worker endpoints (/api/v1/worker/...) and the artifact service (/api/v1/artifacts/{sha256}).";

    public static Task WriteUnauthorizedAsync(HttpContext context)
    {
        if (context.Items[SameOriginRequest.RefusedItem] is string crossSite)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"SlmOps\"";
            return WriteAsync(context, new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized, Title = "Cross-origin request refused", Detail = $"{crossSite} {HowToAuthenticate}",
            });
        }
        var failure = context.Items[FailureItem] as string;
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer realm=\"SlmOps\""
            : "Bearer realm=\"SlmOps\", error=\"invalid_token\"";
        return WriteAsync(context, new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = failure is null ? "Authentication required" : "The API key was refused",
            Detail = failure is null ? $"{context.Request.Path} needs an API key. {HowToAuthenticate}" : $"{failure} {HowToAuthenticate}",
        });
    }

    /// <summary>403 naming what the endpoint needs (<paramref name="required"/>, when known) and what the key has.</summary>
    public static Task WriteForbiddenAsync(HttpContext context, MinimumRoleRequirement? required)
    {
        var user = context.User;
        var role = ApiRoles.Of(user);
        var held = role is { } r ? ApiRoles.Name(r) : "no role";
        var who = ApiKeyPrincipal.PrefixOf(user) is { } prefix ? $"'{user.Identity?.Name}' ({ApiKeyFormat.Display(prefix)})" : $"'{user.Identity?.Name}'";
        var request = $"{context.Request.Method} {context.Request.Path}";
        var problem = role == ApiKeyRole.Worker
            ? new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Worker keys may call only the worker API",
                Detail = $"{request} is not open to worker keys, and the key {who} is one. {WorkerScope} " +
                         "Use a viewer key or higher for the rest of the API.",
            }
            : new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "The key's role is too low",
                Detail = $"{request} needs the {(required is null ? "a higher" : ApiRoles.Name(required.Role))} role (or higher)" +
                         $"{(required is { AdmitsWorkers: true } ? " or a worker key" : "")}; the key {who} has {held}. " +
                         "Use a key with that role, or ask an admin for one (POST /api/v1/api-keys).",
            };
        problem.Extensions["requiredRole"] = required is null ? null : ApiRoles.Name(required.Role);
        problem.Extensions["workerKeysAdmitted"] = required?.AdmitsWorkers;
        problem.Extensions["role"] = held;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteAsync(context, problem);
    }

    private static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
    }
}
