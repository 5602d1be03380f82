using SlmOps.Data.Entities;
using SlmOps.ApiHost.Auth;

// In the routing namespace so every Apis/*.cs file finds RequireApiRole without another using.
namespace Microsoft.AspNetCore.Builder;

public static class ApiRoleEndpointExtensions
{
    /// <summary>Admits keys (or signed-in users) with <paramref name="role"/> or a higher one; 401/403 problems otherwise.</summary>
    public static TBuilder RequireApiRole<TBuilder>(this TBuilder builder, ApiKeyRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ApiRoles.PolicyName(role));

    /// <summary>As <see cref="RequireApiRole{TBuilder}"/>, and admits worker keys too (the artifact service).</summary>
    public static TBuilder RequireApiRoleOrWorker<TBuilder>(this TBuilder builder, ApiKeyRole minimum) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ApiRoles.OrWorkerPolicyName(minimum));

    /// <summary>Admits worker keys, and admin keys acting as a worker; the /api/v1/worker endpoints use it.</summary>
    public static TBuilder RequireWorkerRole<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ApiRoles.WorkerPolicy);
}
