using System.Globalization;
using System.Text.Json;

namespace SlmOps.Web.Components.Pages.Runs;

/// <summary>A run's JSON spec as dotted key → value rows, for parameter tables and side-by-side comparison.</summary>
public static class ConfigFlattening
{
    public static IReadOnlyDictionary<string, string> Flatten(JsonElement config)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(config, "", rows);
        return rows;
    }

    private static void Walk(JsonElement element, string path, IDictionary<string, string> rows)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", rows);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, $"{path}[{index++}]", rows);
                if (index == 0) rows[path] = "[]";
                break;
            case JsonValueKind.String:
                rows[path] = element.GetString() ?? "";
                break;
            case JsonValueKind.Number:
                rows[path] = element.TryGetDouble(out var number) ? number.ToString(CultureInfo.InvariantCulture) : element.GetRawText();
                break;
            default:
                rows[path] = element.GetRawText();
                break;
        }
    }
}
