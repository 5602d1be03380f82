using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlmOps.Modeling;

/// <summary>One JSON shape for every sidecar and config this library writes: camelCase, enums as strings.</summary>
public static class ModelingJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
