using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Radzen;
using SlmOps.Web.Components;
using SlmOps.Web.Components.Shared;
using SlmOps.Web.Live;

namespace SlmOps.Web.ComponentTests;

/// <summary>
/// A bUnit context set up like a dashboard circuit: interactive server rendering, Radzen's services (its JS calls
/// answered loosely), the live-event hub pages subscribe to, and a signed-in user of the given role. Each test class
/// adds the stub of the data interface its page uses. The user's key is in <paramref name="team"/> (as the key handler
/// and the dashboard cookie say in the team claim).
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    protected DashboardTestContext(string role = "Admin", string user = "tester", string team = "default")
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddRadzenComponents();
        Services.AddSingleton(new RunEventHub(NullLogger<RunEventHub>.Instance));
        Services.AddSingleton<DashboardScope>();
        var auth = AddAuthorization();
        auth.SetAuthorized(user);
        auth.SetRoles(role);
        auth.SetClaims(new System.Security.Claims.Claim(AuthSchemes.TeamClaim, team));
        auth.SetPolicies(DashboardPoliciesFor(role));
    }

    /// <summary>The dashboard policies (viewer, editor, ...) a role passes: its own and every one below it.</summary>
    private static string[] DashboardPoliciesFor(string role)
    {
        string[] ladder = [DashboardPolicies.Viewer, DashboardPolicies.Editor, DashboardPolicies.Promoter, DashboardPolicies.Admin];
        var index = Array.IndexOf(ladder, role.ToLowerInvariant());
        return ladder[..(index + 1)];
    }

    protected void NavigateTo(string uri) => Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
}
