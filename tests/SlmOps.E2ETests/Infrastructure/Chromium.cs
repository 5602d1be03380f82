namespace SlmOps.E2ETests.Infrastructure;

/// <summary>The browser the tests drive. The stack's settings come from the integration tests' TestStack (linked).</summary>
internal static class Chromium
{
    /// <summary>Debian's Chromium; Playwright's own browser downloads are never used.</summary>
    public static string Path => Environment.GetEnvironmentVariable("SLMOPS_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
}
