using Microsoft.AspNetCore.Authorization;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Auth;

/// <summary>
/// Deny by default: the fallback policy, applied to every endpoint that names no policy and has no [AllowAnonymous]
/// (a new endpoint someone forgot to protect, the Blazor hub): a viewer or higher, never a worker key. Requests
/// that reached no endpoint (static files, unknown paths that answer 404) have nothing to protect and pass.
/// </summary>
public sealed class FallbackRequirement : AuthorizationHandler<FallbackRequirement>, IAuthorizationRequirement
{
    private static readonly MinimumRoleRequirement Viewer = new(ApiKeyRole.Viewer);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, FallbackRequirement requirement)
    {
        var noEndpoint = context.Resource is HttpContext http && http.GetEndpoint() is null;
        if (noEndpoint || Viewer.IsMetBy(ApiRoles.Of(context.User))) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
