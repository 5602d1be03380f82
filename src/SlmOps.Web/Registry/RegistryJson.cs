using System.Text.Json;

namespace SlmOps.Web.Registry;

/// <summary>jsonb columns (architecture, evaluation metrics) travel as JSON objects, not as escaped strings.</summary>
internal static class RegistryJson
{
    public static JsonElement Parse(string? json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        return document.RootElement.Clone();
    }

    /// <summary>Enum members as the schema stores them (Fft → fft, Create → create).</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        SlmOps.Data.Model.SnakeCase.From(value.ToString());
}
