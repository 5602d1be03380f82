using SlmOps.Data.Entities;
using SlmOps.Web.Auth;

// In the routing namespace so every Apis/*.cs file finds RequireApiRole without another using.
namespace Microsoft.AspNetCore.Builder;

public static class ApiRoleEndpointExtensions
{
    /// <summary>Admits keys (or signed-in users) with <paramref name="role"/> or a higher one; 401/403 problems otherwise.</summary>
    public static TBuilder RequireApiRole<TBuilder>(this TBuilder builder, ApiKeyRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ApiRoles.PolicyName(role));
}
