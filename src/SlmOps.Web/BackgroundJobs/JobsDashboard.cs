using Hangfire;
using Hangfire.Dashboard;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;

namespace SlmOps.Web.BackgroundJobs;

/// <summary>Hangfire's dashboard at <see cref="Path"/>, behind the same sign-in and roles as the Blazor pages.</summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";

    /// <summary>
    /// Anonymous browsers are sent to sign in (a bad API key gets 401), signed-in users below admin get 403.
    /// Call after UseSlmOpsAuth.
    /// </summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder app) =>
        app.MapHangfireDashboard(Path, new DashboardOptions
            {
                DashboardTitle = "SlmOps background jobs",
                AppPath = "/",
                DisplayStorageConnectionString = false,
                Authorization = [],
                AsyncAuthorization = [new AdminOnlyDashboardFilter()],
            })
            .RequireAuthorization(ApiRoles.PolicyName(ApiKeyRole.Viewer));
}
