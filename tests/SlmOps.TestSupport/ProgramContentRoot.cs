using System.Text.Json;

namespace SlmOps.TestSupport;

/// <summary>
/// WebApplicationFactory finds the app's folder by itself only from a test assembly; a program (a benchmark, the chaos
/// soak) names it through this variable, taken from the manifest Mvc.Testing writes next to the build output.
/// </summary>
public static class ProgramContentRoot
{
    public static void UseWebProject()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var roots = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
        var web = roots.Single(r => r.Key.StartsWith(typeof(Program).Assembly.GetName().Name + ",", StringComparison.Ordinal)).Value;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SLMOPS_WEB", web);
    }
}
