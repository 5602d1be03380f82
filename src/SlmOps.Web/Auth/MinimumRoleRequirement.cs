using Microsoft.AspNetCore.Authorization;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Auth;

/// <summary>Met by a principal whose role is <see cref="Role"/> or higher (viewer &lt; editor &lt; promoter &lt; admin).</summary>
public sealed class MinimumRoleRequirement(ApiKeyRole role) : AuthorizationHandler<MinimumRoleRequirement>, IAuthorizationRequirement
{
    public ApiKeyRole Role { get; } = role;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRoleRequirement requirement)
    {
        if (ApiRoles.Of(context.User) is { } held && held >= requirement.Role) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
