using Hangfire.Dashboard;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;

namespace SlmOps.Web.BackgroundJobs;

/// <summary>
/// Lets admins into the Hangfire dashboard. The endpoint already demands a signed-in user (cookie or API key), so
/// anyone else who gets this far is refused with 403.
/// </summary>
internal sealed class AdminOnlyDashboardFilter : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context) =>
        Task.FromResult(ApiRoles.Of(context.GetHttpContext().User) == ApiKeyRole.Admin);
}
