namespace SlmOps.Web.Components;

/// <summary>
/// The script and stylesheet addresses the dashboard's pages load (and the tests fetch). All are static web assets:
/// <c>_framework/blazor.web.js</c> comes from the SDK's own assets package, the rest from Radzen.Blazor's package.
/// </summary>
public static class DashboardAssets
{
    public const string BlazorScript = "_framework/blazor.web.js";
    public const string RadzenScript = "_content/Radzen.Blazor/Radzen.Blazor.js";
    public const string RadzenTheme = "_content/Radzen.Blazor/css/material-base.css";
}
