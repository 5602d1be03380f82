using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlmOps.ApiHost.Problems;

/// <summary>
/// A JSON string in a request body that cannot be stored (see <see cref="InputText.Unsafe"/>). <see cref="Field"/> is
/// the path below the property being read (empty for a plain string, "training.device" inside a spec object).
/// </summary>
public sealed class UnsafeJsonTextException(string field, string why) : JsonException(why)
{
    public string Field { get; } = field;
    public string Why { get; } = why;
}

/// <summary>Every string property of every API request body goes through this check, so no endpoint can forget it.</summary>
public sealed class SafeStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"The JSON value could not be converted to {typeof(string)}.");
        var value = reader.GetString();
        if (InputText.Unsafe(value) is { } why) throw new UnsafeJsonTextException("", why);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Free-form JSON (run specs, overrides) is checked string by string, property names included.</summary>
public sealed class SafeJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (FindUnsafe(element, "") is { } found) throw new UnsafeJsonTextException(found.Field, found.Why);
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    /// <summary>The first string (or property name) in <paramref name="element"/> that cannot be stored, with its path.</summary>
    public static (string Field, string Why)? FindUnsafe(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return InputText.Unsafe(element.GetString()) is { } why ? (path, why) : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (InputText.Unsafe(property.Name, multiline: false) is { } nameWhy) return (child, "has a name that " + nameWhy);
                    if (FindUnsafe(property.Value, child) is { } found) return found;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnsafe(item, $"{path}[{index++}]") is { } found) return found;
                }
                return null;
            default:
                return null;
        }
    }
}
