using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SlmOps.Hosting;

/// <summary>Builds readiness results that name the dependency and its address, never a stack trace.</summary>
public static class DependencyProbe
{
    public const string ServiceKey = "service";
    public const string AddressKey = "address";

    public static HealthCheckResult Reachable(string service, string address) =>
        HealthCheckResult.Healthy($"{service} is reachable at {address}", Data(service, address));

    public static HealthCheckResult Unreachable(string service, string address, Exception error, string? detail = null) =>
        HealthCheckResult.Unhealthy(
            $"{service} is unreachable at {address}{(detail is null ? "" : $" ({detail})")}: {Reason(error)}",
            exception: null,
            Data(service, address));

    public static HealthCheckResult NotConfigured(string service, string settingName) =>
        HealthCheckResult.Unhealthy($"{service} is not configured: set {settingName}", exception: null, Data(service, "(not configured)"));

    private static Dictionary<string, object> Data(string service, string address) =>
        new() { [ServiceKey] = service, [AddressKey] = address };

    // Client libraries wrap the socket error in one or two layers of "could not connect"; the
    // innermost message ("Connection refused", "password authentication failed") is the actionable one.
    private static string Reason(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim();
            if (message.Length > 0 && !messages.Contains(message))
            {
                messages.Add(message);
            }
        }
        return string.Join("; ", messages.TakeLast(2));
    }
}
