using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlmOps.Contracts.Runs;

/// <summary>The one JSON shape of run specs in runs.config: camelCase, enums as strings.</summary>
public static class RunSpecJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
