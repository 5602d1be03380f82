using System.Text.Json;

namespace SlmOps.Cli.Api;

/// <summary>An RFC 7807 problem as the server sent it; <see cref="Errors"/> holds the field errors of a validation problem.</summary>
public sealed record ApiProblem(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>Reads a problem body; a body that is not a problem still yields the status and the start of its text.</summary>
    public static ApiProblem Parse(int status, string? reason, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var errors = new Dictionary<string, string[]>();
                if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in e.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? field.Value.EnumerateArray().Select(m => m.ToString()).ToArray()
                            : [field.Value.ToString()];
                    }
                }
                return new ApiProblem(status, Text(root, "title") ?? reason, Text(root, "detail"), errors);
            }
        }
        catch (JsonException)
        {
            // not JSON: fall through to the raw text
        }
        var text = body.Length > 500 ? body[..500] + "..." : body;
        return new ApiProblem(status, reason, string.IsNullOrWhiteSpace(text) ? null : text.Trim(), new Dictionary<string, string[]>());
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
