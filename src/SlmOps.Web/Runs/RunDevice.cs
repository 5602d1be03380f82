using System.Text.Json;
using SlmOps.Contracts;

namespace SlmOps.Web.Runs;

/// <summary>Reads the device a run asks for out of its stored config.</summary>
public static class RunDevice
{
    public static string Of(RunKind kind, string configJson)
    {
        if (kind == RunKind.PrepareDataset) return "cpu";
        using var document = JsonDocument.Parse(configJson);
        var root = document.RootElement;
        if (root.TryGetProperty("training", out var training) && training.ValueKind == JsonValueKind.Object
            && training.TryGetProperty("device", out var nested) && nested.ValueKind == JsonValueKind.String)
            return nested.GetString()!;
        if (root.TryGetProperty("device", out var device) && device.ValueKind == JsonValueKind.String)
            return device.GetString()!;
        return "cpu";
    }
}
