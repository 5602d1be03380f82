using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace SlmOps.ApiHost.Auth;

/// <summary>
/// API requests get problem details: 401 from the key scheme (even when the browser holds a cookie), 403 naming the
/// role needed (or, to a worker key, what worker keys may call). Everything else (dashboard pages) keeps the default:
/// redirect to sign-in or access denied.
/// </summary>
public sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!IsApiRequest(context.Request) || result.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }
        if (result.Challenged)
        {
            await AuthProblems.WriteUnauthorizedAsync(context);
            return;
        }
        var required = MinimumRoleRequirement.Strictest(
            result.AuthorizationFailure?.FailedRequirements.OfType<MinimumRoleRequirement>() ?? []);
        await AuthProblems.WriteForbiddenAsync(context, required);
    }

    /// <summary>The API (/api) and the serving host's OpenAI-compatible surface (/v1).</summary>
    public static bool IsApiRequest(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/v1");
}
