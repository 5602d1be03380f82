using Microsoft.AspNetCore.Authorization;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Auth;

/// <summary>
/// Met by a principal whose role is <see cref="Role"/> or higher on the ladder (viewer &lt; editor &lt; promoter &lt;
/// admin), or, when <see cref="AdmitsWorkers"/>, by a worker key. A worker never climbs the ladder: it passes only the
/// requirements that name it, so a new endpoint is closed to workers unless it says otherwise.
/// </summary>
public sealed class MinimumRoleRequirement(ApiKeyRole role, bool admitsWorkers = false)
    : AuthorizationHandler<MinimumRoleRequirement>, IAuthorizationRequirement
{
    public ApiKeyRole Role { get; } = role == ApiKeyRole.Worker
        ? throw new ArgumentException("Worker is not on the role ladder; use admitsWorkers.", nameof(role))
        : role;

    public bool AdmitsWorkers { get; } = admitsWorkers;

    public bool IsMetBy(ApiKeyRole? held) => held switch
    {
        null => false,
        ApiKeyRole.Worker => AdmitsWorkers,
        { } ladder => ladder >= Role,
    };

    /// <summary>The worker policy: workers, and admins acting as one.</summary>
    public bool IsWorkerPolicy => AdmitsWorkers && Role == ApiKeyRole.Admin;

    /// <summary>What several requirements that must all pass ask for together: the highest role, workers only if all admit them.</summary>
    public static MinimumRoleRequirement? Strictest(IEnumerable<MinimumRoleRequirement> requirements)
    {
        MinimumRoleRequirement? strictest = null;
        foreach (var requirement in requirements)
        {
            strictest = strictest is null
                ? requirement
                : new MinimumRoleRequirement(
                    requirement.Role > strictest.Role ? requirement.Role : strictest.Role,
                    requirement.AdmitsWorkers && strictest.AdmitsWorkers);
        }
        return strictest;
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRoleRequirement requirement)
    {
        if (requirement.IsMetBy(ApiRoles.Of(context.User))) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
