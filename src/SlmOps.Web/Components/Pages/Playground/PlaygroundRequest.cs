using SlmOps.Web.Serving;

namespace SlmOps.Web.Components.Pages.Playground;

/// <summary>What the playground form edits; <see cref="Target"/> is "alias:NAME" or "version:N".</summary>
public sealed class PlaygroundRequest
{
    public string? Task { get; set; }
    public string? Target { get; set; }
    public string? Prompt { get; set; }
    public int? MaxTokens { get; set; } = 64;
    public double? Temperature { get; set; } = 0.8;
    public int? TopK { get; set; } = 40;
    public ulong? Seed { get; set; } = 1;

    /// <summary>The serving request, always with the LLM-alone comparison.</summary>
    public GenerateRequest ToGenerateRequest() => new()
    {
        Task = Task, Prompt = Prompt, MaxTokens = MaxTokens, Temperature = Temperature, TopK = TopK, Seed = Seed, Compare = true,
        Alias = Target is { } t && t.StartsWith("alias:", StringComparison.Ordinal) ? t["alias:".Length..] : null,
        Version = Target is { } v && v.StartsWith("version:", StringComparison.Ordinal) && int.TryParse(v["version:".Length..], out var n) ? n : null,
    };

    /// <summary>The form field a validator message is about ("" when it names none).</summary>
    public static string FieldOf(string message) => message switch
    {
        _ when message.StartsWith("task", StringComparison.Ordinal) => "task",
        _ when message.StartsWith("prompt", StringComparison.Ordinal) => "prompt",
        _ when message.StartsWith("maxTokens", StringComparison.Ordinal) => "max_tokens",
        _ when message.StartsWith("temperature", StringComparison.Ordinal) => "temperature",
        _ when message.StartsWith("topK", StringComparison.Ordinal) => "top_k",
        _ when message.StartsWith("version", StringComparison.Ordinal) || message.StartsWith("Send either alias", StringComparison.Ordinal) => "target",
        _ => "",
    };
}
