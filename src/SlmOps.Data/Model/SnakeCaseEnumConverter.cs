using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SlmOps.Data.Model;

/// <summary>Stores an enum as the lower snake_case of its member name (BaseModelVersion → base_model_version).</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => EnumText<TEnum>.ToText(value),
    text => EnumText<TEnum>.Parse(text))
    where TEnum : struct, Enum;

/// <summary>The two-way table between enum members and their stored text, built once per enum type.</summary>
public static class EnumText<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> ToTextMap =
        Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => SnakeCase.From(v.ToString()));

    private static readonly FrozenDictionary<string, TEnum> FromTextMap =
        ToTextMap.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string ToText(TEnum value) =>
        ToTextMap.TryGetValue(value, out var text)
            ? text
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(TEnum).Name}.");

    public static TEnum Parse(string text) =>
        FromTextMap.TryGetValue(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a stored {typeof(TEnum).Name} value.");
}
