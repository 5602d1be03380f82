using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace SlmOps.Web.Auth;

/// <summary>
/// API requests get problem details: 401 from the key scheme (even when the browser holds a cookie), 403 naming the
/// role needed. Everything else (dashboard pages) keeps the default: redirect to sign-in or access denied.
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
        var required = result.AuthorizationFailure?.FailedRequirements.OfType<MinimumRoleRequirement>()
            .Select(r => (Data.Entities.ApiKeyRole?)r.Role).Max();
        await AuthProblems.WriteForbiddenAsync(context, required);
    }

    public static bool IsApiRequest(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
