using System.Globalization;

namespace SlmOps.ApiHost.Problems;

/// <summary>
/// What text a request may carry into the database or onto a screen. PostgreSQL refuses NUL (U+0000) in text and
/// jsonb; other control characters and the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) make
/// a name display differently from what is stored. Names and free-text fields also have a length limit each.
/// </summary>
public static class InputText
{
    /// <summary>Limits of the names and free-text fields the API stores.</summary>
    public const int MaxNameLength = 200;
    public const int MaxReasonLength = 1000;
    public const int MaxDescriptionLength = 2000;
    public const int MaxUrlLength = 2048;
    public const int MaxSearchLength = 200;

    /// <summary>Why <paramref name="value"/> cannot be stored (the first bad character and where), or null when it can.</summary>
    /// <param name="multiline">Tab, line feed and carriage return are allowed (free text); otherwise they are refused too.</param>
    public static string? Unsafe(string? value, bool multiline = true)
    {
        if (value is null) return null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') return $"contains a NUL character (U+0000) at position {i + 1}";
            if (multiline && c is '\t' or '\n' or '\r') continue;
            if (char.IsControl(c)) return $"contains the control character {CodePoint(c)} at position {i + 1}";
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
                return $"contains the bidirectional control character {CodePoint(c)} at position {i + 1}";
        }
        return null;
    }

    /// <summary>
    /// The refusal of a name or free-text field (its characters or its length), naming the field and the limit; null
    /// when it is fine. Null values are fine: whether a field is required is the caller's check.
    /// </summary>
    public static string? Problem(string field, string? value, int maxLength, bool multiline = false)
    {
        if (value is null) return null;
        if (Unsafe(value, multiline) is { } why) return $"{field} {why}; remove it (control and bidirectional characters are not accepted).";
        if (value.Length > maxLength)
            return $"{field} is {value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; the limit is {maxLength.ToString("N0", CultureInfo.InvariantCulture)}.";
        return null;
    }

    /// <summary>Adds the field's problem (if any) to a validation errors dictionary.</summary>
    public static void Check(IDictionary<string, string[]> errors, string field, string? value, int maxLength, bool multiline = false)
    {
        if (Problem(field, value, maxLength, multiline) is { } problem) errors[field] = [problem];
    }

    private static string CodePoint(char c) => $"U+{(int)c:X4}";
}
