namespace SlmOps.Web.Components;

/// <summary>
/// The role policies (Auth's "viewer" ... "admin", each admitting the higher roles) as constants, so pages can name
/// them in [Authorize(Policy = ...)] and &lt;AuthorizeView Policy="..."&gt;.
/// </summary>
public static class DashboardPolicies
{
    public const string Viewer = "viewer";
    public const string Editor = "editor";
    public const string Promoter = "promoter";
    public const string Admin = "admin";
}
