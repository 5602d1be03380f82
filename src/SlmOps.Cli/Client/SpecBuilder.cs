using System.Text.Json;
using System.Text.Json.Nodes;

namespace SlmOps.Cli.Client;

/// <summary>
/// Builds a run spec from an optional JSON file plus `--set path=value` overrides. A dotted path makes nested
/// objects (training.steps=200); a value that parses as JSON (numbers, true, null, {...}) keeps its type, any
/// other text is a string.
/// </summary>
public static class SpecBuilder
{
    public static JsonElement Build(FileInfo? specFile, IEnumerable<string> assignments)
    {
        JsonObject spec;
        if (specFile is null)
        {
            spec = [];
        }
        else
        {
            if (!specFile.Exists) throw new FileNotFoundException($"Spec file not found: {specFile.FullName}");
            spec = JsonNode.Parse(File.ReadAllText(specFile.FullName)) as JsonObject
                ?? throw new InvalidDataException($"The spec file {specFile.FullName} must hold a JSON object.");
        }
        foreach (var assignment in assignments) Apply(spec, assignment);
        return JsonSerializer.SerializeToElement(spec);
    }

    public static void Apply(JsonObject spec, string assignment)
    {
        var equals = assignment.IndexOf('=');
        if (equals <= 0) throw new ArgumentException($"--set '{assignment}' must look like key=value (e.g. training.steps=200).");
        var path = assignment[..equals].Split('.');
        if (path.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException($"--set '{assignment}' has an empty key segment.");
        var target = spec;
        foreach (var segment in path[..^1])
        {
            if (target[segment] is not JsonObject child)
            {
                child = [];
                target[segment] = child;
            }
            target = child;
        }
        target[path[^1]] = ParseValue(assignment[(equals + 1)..]);
    }

    private static JsonNode? ParseValue(string text)
    {
        if (text.Length == 0) return JsonValue.Create("");
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
