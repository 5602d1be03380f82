using Microsoft.AspNetCore.Mvc;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Auth;

/// <summary>The 401 and 403 answers of the API, as problem details that say how to get in.</summary>
public static class AuthProblems
{
    /// <summary>Set by the key handler when a presented key was refused, so the challenge can say why.</summary>
    public const string FailureItem = "slmops:auth-failure";

    public const string HowToAuthenticate =
        $"Send an API key as 'Authorization: Bearer <key>' or '{AuthSchemes.ApiKeyHeader}: <key>'. " +
        "An admin creates keys with POST /api/v1/api-keys (the first one with `SlmOps.Web create-admin-key`).";

    public static Task WriteUnauthorizedAsync(HttpContext context)
    {
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

    public static Task WriteForbiddenAsync(HttpContext context, ApiKeyRole? required)
    {
        var user = context.User;
        var held = ApiRoles.Of(user) is { } role ? ApiRoles.Name(role) : "no role";
        var who = ApiKeyPrincipal.PrefixOf(user) is { } prefix ? $"'{user.Identity?.Name}' ({ApiKeyFormat.Display(prefix)})" : $"'{user.Identity?.Name}'";
        var needed = required is { } r ? ApiRoles.Name(r) : "a higher";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "The key's role is too low",
            Detail = $"{context.Request.Method} {context.Request.Path} needs the {needed} role (or higher); the key {who} has {held}. " +
                     "Use a key with that role, or ask an admin for one (POST /api/v1/api-keys).",
        };
        problem.Extensions["requiredRole"] = required is { } req ? ApiRoles.Name(req) : null;
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
