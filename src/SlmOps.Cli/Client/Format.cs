using System.Globalization;
using System.Text.Json;
using SlmOps.Cli.Api;

namespace SlmOps.Cli.Client;

/// <summary>Cell text for tables: invariant numbers, short times, readable sizes.</summary>
public static class Format
{
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1073741824.0).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    public static string Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";

    public static string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "";

    public static T Read<T>(JsonElement json) => json.Deserialize<T>(SlmOpsApiClient.Json)!;
}
