using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SlmOps.ApiHost.Problems;

/// <summary>
/// Turns the framework's binding refusals (a body that is not the JSON the endpoint reads, a query value of the wrong
/// type, a missing body) into sentences that name the field, the type expected and the value received, in the API's
/// words rather than .NET type names.
/// </summary>
public static partial class BadRequestDescriber
{
    /// <summary>JSON bodies up to this size are kept readable, so a refusal can quote the value it could not read.</summary>
    public const int QuotedBodyLimitBytes = 1024 * 1024;

    public sealed record Description(string Title, string? Detail, IDictionary<string, string[]>? Errors = null);

    public static async Task<Description> DescribeAsync(HttpContext context, BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType) return new("Unsupported media type", null);
        if (bad.InnerException is JsonException json) return await DescribeJsonAsync(context, json);
        if (bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return new("The request body is missing",
                $"{context.Request.Method} {context.Request.Path} needs a JSON object in its body (Content-Type: application/json); " +
                "/openapi/v1.json describes its fields.");
        }
        var required = RequiredBody().Match(bad.Message);
        if (required.Success && required.Groups["source"].Value == "body")
        {
            return new("The request body is missing",
                $"{context.Request.Method} {context.Request.Path} needs a JSON object in its body (Content-Type: application/json); " +
                "/openapi/v1.json describes its fields.");
        }
        if (required.Success)
        {
            var name = required.Groups["name"].Value;
            return Field("A required parameter is missing", name, $"{Source(required.Groups["source"].Value)} {name} is required: give it as {Expected(required.Groups["type"].Value)}.");
        }
        if (FailedBind().Match(bad.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return Field("A parameter has the wrong type", name,
                $"Parameter {name} must be {Expected(bind.Groups["type"].Value)}; got '{Quote(bind.Groups["value"].Value)}'.");
        }
        return new("The request could not be read", bad.Message);
    }

    private static async Task<Description> DescribeJsonAsync(HttpContext context, JsonException json)
    {
        var field = FieldOf(json.Path);
        if (json is UnsafeJsonTextException text)
        {
            var name = Join(field, text.Field);
            return Field("The request body has a character that cannot be stored", name,
                $"{Display(name)} {text.Why}; remove it (NUL, control and bidirectional characters are not accepted).");
        }
        if (await BodyIsEmptyAsync(context))
        {
            return new("The request body is missing",
                $"The body of {context.Request.Method} {context.Request.Path} is empty: send a JSON object (Content-Type: application/json); " +
                "/openapi/v1.json describes its fields.");
        }
        if (CouldNotConvert().Match(json.Message) is { Success: true } convert)
        {
            var received = await ReceivedAsync(context, json.Path);
            var expected = Expected(LeafType(convert.Groups["type"].Value, json.Path));
            return Field("A field has the wrong type", field, $"{Display(field)} must be {expected}; got {received}.");
        }
        if (json.LineNumber is { } line && json.BytePositionInLine is { } position)
        {
            return new("The request body is not valid JSON",
                $"The body is not valid JSON at line {line + 1}, byte {position + 1}{(field.Length > 0 ? $" (in {field})" : "")}: {Scrub(json.Message)}");
        }
        return Field("The request body could not be read", field, $"{Display(field)}: {Scrub(json.Message)}");
    }

    /// <summary>A spec (already read as a JsonElement) whose field has the wrong type: what it must be and what came.</summary>
    public static string DescribeSpecError(JsonException error, JsonElement spec)
    {
        if (CouldNotConvert().Match(error.Message) is not { Success: true } convert) return $"Not readable: {Scrub(error.Message)}";
        JsonNode? node = JsonNode.Parse(spec.GetRawText());
        node = Navigate(node, error.Path ?? "$");
        var received = node?.ToJsonString() ?? "null";
        return $"Must be {Expected(convert.Groups["type"].Value)}; got {(received.Length > 100 ? received[..100] + "…" : received)}.";
    }

    private static JsonNode? Navigate(JsonNode? node, string path)
    {
        foreach (Match segment in PathSegment().Matches(path))
        {
            node = segment.Groups["index"].Success
                ? node is JsonArray array && int.Parse(segment.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < array.Count ? array[i] : null
                : node is JsonObject obj ? obj.FirstOrDefault(p => string.Equals(p.Key, segment.Groups["name"].Value, StringComparison.OrdinalIgnoreCase)).Value : null;
        }
        return node;
    }

    private static Description Field(string title, string field, string message) =>
        new(title, message, new Dictionary<string, string[]> { [field.Length == 0 ? "body" : field] = [message] });

    /// <summary>"an integer", "a string", "one of: Queued, Running", ... for a .NET type name as the framework writes it.</summary>
    public static string Expected(string typeName)
    {
        typeName = typeName.Trim();
        var nullable = NullableOf().Match(typeName);
        if (nullable.Success) return Expected(nullable.Groups["inner"].Value) + " (or null)";
        if (typeName.EndsWith('?')) return Expected(typeName[..^1]) + " (or null)";
        if (typeName.EndsWith("[]", StringComparison.Ordinal) || typeName.Contains("List`1") || typeName.Contains("Enumerable`1")) return "a JSON array";
        return typeName switch
        {
            "System.Int32" or "int" => "an integer from -2,147,483,648 to 2,147,483,647",
            "System.Int64" or "long" => "an integer",
            "System.Int16" or "short" or "System.Byte" or "byte" => "a small integer",
            "System.Double" or "double" or "System.Single" or "float" or "System.Decimal" or "decimal" => "a number",
            "System.Boolean" or "bool" => "true or false",
            "System.String" or "string" => "a string",
            "System.Guid" or "Guid" => "a UUID, e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "System.DateTimeOffset" or "DateTimeOffset" or "System.DateTime" or "DateTime" => "a date and time in ISO 8601, e.g. 2025-01-31T12:00:00Z",
            "System.Text.Json.JsonElement" or "JsonElement" => "a JSON value",
            _ when FindEnum(typeName) is { } values => $"one of: {string.Join(", ", values)}",
            _ => "a JSON object",
        };
    }

    /// <summary>
    /// The type of the field at <paramref name="path"/> when the framework named the containing record instead (it
    /// does for constructor parameters), found by walking the record's properties.
    /// </summary>
    private static string LeafType(string typeName, string? path)
    {
        if (path is null || FindType(typeName) is not { IsClass: true } type || type == typeof(string)) return typeName;
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                type = type.IsArray ? type.GetElementType()! : type.IsGenericType ? type.GetGenericArguments()[0] : type;
                continue;
            }
            var property = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, segment.Groups["name"].Value, StringComparison.OrdinalIgnoreCase));
            if (property is null) return typeName;
            type = property.PropertyType;
        }
        return Nullable.GetUnderlyingType(type) is { } inner ? $"System.Nullable`1[{inner.FullName}]" : type.FullName ?? typeName;
    }

    private static Type? FindType(string typeName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetName().Name is not { } name || !name.StartsWith("SlmOps", StringComparison.Ordinal)) continue;
            if (assembly.GetType(typeName.Replace('+', '+')) is { } found) return found;
        }
        return null;
    }

    private static string[]? FindEnum(string typeName)
    {
        var simple = typeName[(typeName.LastIndexOf('.') + 1)..];
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetName().Name is not { } name || !name.StartsWith("SlmOps", StringComparison.Ordinal)) continue;
            foreach (var type in assembly.GetTypes())
            {
                if (type.IsEnum && (type.FullName == typeName || type.Name == simple)) return Enum.GetNames(type);
            }
        }
        return null;
    }

    /// <summary>The JSON the client sent at <paramref name="path"/> ($.a.b[0]), quoted; the body is readable again when it was buffered.</summary>
    private static async Task<string> ReceivedAsync(HttpContext context, string? path)
    {
        var body = context.Request.Body;
        if (!body.CanSeek || path is null) return "a value of another type";
        try
        {
            body.Position = 0;
            var node = Navigate(await JsonNode.ParseAsync(body), path);
            var text = node?.ToJsonString() ?? "null";
            return text.Length > 100 ? text[..100] + "…" : text;
        }
        catch (Exception error) when (error is JsonException or IOException or InvalidOperationException or NotSupportedException)
        {
            return "a value of another type";
        }
    }

    private static async Task<bool> BodyIsEmptyAsync(HttpContext context)
    {
        if (context.Request.ContentLength == 0) return true;
        var body = context.Request.Body;
        if (!body.CanSeek) return false;
        try
        {
            body.Position = 0;
            using var reader = new StreamReader(body, leaveOpen: true);
            return string.IsNullOrWhiteSpace(await reader.ReadToEndAsync());
        }
        catch (Exception error) when (error is IOException or NotSupportedException)
        {
            return false;
        }
    }

    private static string FieldOf(string? path) => path is null ? "" : path.TrimStart('$').TrimStart('.');

    private static string Join(string field, string below) =>
        below.Length == 0 ? field : field.Length == 0 ? below : below.StartsWith('[') ? field + below : $"{field}.{below}";

    private static string Display(string field) => field.Length == 0 ? "The body" : $"Field '{field}'";

    private static string Source(string source) => source switch { "query string" => "Query parameter", "route" => "Route parameter", "header" => "Header", _ => "Parameter" };

    private static string Quote(string value) => value.Length > 100 ? value[..100] + "…" : value;

    /// <summary>Drops the reader's "Path: $ | LineNumber: …" tail and .NET type names from a message.</summary>
    private static string Scrub(string message) => TypeName().Replace(PathTail().Replace(message, "."), "the expected type");

    [GeneratedRegex("""^Required parameter "(?<type>\S+) (?<name>[^"]+)" was not provided from (?<source>[a-z ]+)\.""")]
    private static partial Regex RequiredBody();

    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedBind();

    [GeneratedRegex("""could not be converted to (?<type>[^ ]+?)\.( Path|$)""")]
    private static partial Regex CouldNotConvert();

    [GeneratedRegex("""^System\.Nullable`1\[(?<inner>.+)\]$""")]
    private static partial Regex NullableOf();

    [GeneratedRegex("""\.(?<name>[^.\[]+)|\['(?<name>[^']*)'\]|\[(?<index>\d+)\]""")]
    private static partial Regex PathSegment();

    [GeneratedRegex("""\.?\s*Path: .*$""", RegexOptions.Singleline)]
    private static partial Regex PathTail();

    [GeneratedRegex("""System\.[A-Za-z0-9_.`\[\],]+""")]
    private static partial Regex TypeName();
}
