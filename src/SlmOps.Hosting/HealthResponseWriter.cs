using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SlmOps.Hosting;

/// <summary>Writes a health report as JSON: overall status plus, per check, what it probed and where.</summary>
/// <remarks>Exceptions are deliberately left out: a readiness answer is read by people and orchestrators,
/// and a stack trace helps neither while leaking internals.</remarks>
internal static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new
        {
            status = report.Status.ToString(),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                service = entry.Value.Data.GetValueOrDefault(DependencyProbe.ServiceKey),
                address = entry.Value.Data.GetValueOrDefault(DependencyProbe.AddressKey),
                description = entry.Value.Description ?? entry.Value.Exception?.Message,
                durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
