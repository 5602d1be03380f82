namespace SlmOps.Web.ComponentTests;

/// <summary>A dashboard context whose user is only a viewer, for the tests of what a viewer may not do.</summary>
public sealed class ViewerTestContext() : DashboardTestContext(role: "Viewer");
