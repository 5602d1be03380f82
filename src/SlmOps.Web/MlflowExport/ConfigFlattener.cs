using System.Globalization;
using System.Text.Json;

namespace SlmOps.Web.MlflowExport;

/// <summary>
/// A run's JSON config as MLflow params: nested keys joined with '.', array items by index
/// (<c>training.lr</c>, <c>layers.0.width</c>), values as their JSON text (strings unquoted), cut to MLflow's limits.
/// </summary>
public static class ConfigFlattener
{
    public const int MaxKeyLength = 250;
    public const int MaxValueLength = 6000;

    public static IReadOnlyList<MlflowParam> Flatten(string configJson)
    {
        using var document = JsonDocument.Parse(configJson);
        var result = new List<MlflowParam>();
        Walk(document.RootElement, prefix: null, result);
        return result;
    }

    private static void Walk(JsonElement element, string? prefix, List<MlflowParam> result)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Walk(property.Value, Join(prefix, property.Name), result);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, Join(prefix, index++.ToString(CultureInfo.InvariantCulture)), result);
                break;
            default:
                if (prefix is null) return;
                var value = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
                result.Add(new MlflowParam(Cut(prefix, MaxKeyLength), Cut(value, MaxValueLength)));
                break;
        }
    }

    private static string Join(string? prefix, string name) => prefix is null ? name : $"{prefix}.{name}";

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
