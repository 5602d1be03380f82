using System.Globalization;

namespace SlmOps.Web.Components.Shared;

/// <summary>How the dashboard writes numbers, durations and times.</summary>
public static class Format
{
    public static string Loss(double? loss) => loss is { } value ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    public static string Percent(double fraction) => fraction.ToString("0%", CultureInfo.InvariantCulture);

    /// <summary>From start to end (or now while it goes on); under 10 s with tenths, so a sub-second run is not "0s".</summary>
    public static string Duration(DateTimeOffset? start, DateTimeOffset? end) =>
        start is null ? "—" : Span((end ?? DateTimeOffset.UtcNow) - start.Value);

    public static string Span(TimeSpan span) =>
        span < TimeSpan.Zero ? "0s"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds:00}s"
        : span.TotalSeconds >= 10 ? $"{span.Seconds}s"
        : $"{span.Ticks / TimeSpan.TicksPerSecond}.{span.Ticks / (TimeSpan.TicksPerMillisecond * 100) % 10}s";

    /// <summary>
    /// A chart's value-axis label: six significant digits, so a tick the chart computed as 4.6000000000000005 (Radzen 13
    /// prints its ticks unrounded) reads 4.6, while 0.0005 and 100000 stay as they are.
    /// </summary>
    public static string AxisValue(object value) => value switch
    {
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    public static string When(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 30 => $"{bytes / (double)(1 << 30):0.0} GiB",
        >= 1 << 20 => $"{bytes / (double)(1 << 20):0.0} MiB",
        >= 1 << 10 => $"{bytes / (double)(1 << 10):0.0} KiB",
        _ => $"{bytes} B",
    };
}
