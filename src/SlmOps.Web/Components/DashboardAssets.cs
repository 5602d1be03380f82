namespace SlmOps.Web.Components;

/// <summary>The script and stylesheet addresses the dashboard's pages load (and the tests fetch).</summary>
public static class DashboardAssets
{
    public const string BlazorScript = "_framework/blazor.web.js";
    public const string RadzenScript = "_content/Radzen.Blazor/Radzen.Blazor.js";
    public const string RadzenTheme = "_content/Radzen.Blazor/css/material-base.css";

    /// <summary>Build-output folder holding <c>_framework/blazor.web.js</c> (see Build/BlazorFrameworkScript.targets).</summary>
    public const string FrameworkFolder = "BlazorFramework";
}
