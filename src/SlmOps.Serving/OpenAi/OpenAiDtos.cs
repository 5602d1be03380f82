using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlmOps.Serving.OpenAi;

/// <summary>
/// POST /v1/completions, as OpenAI's legacy completions API names it (snake_case). Fields this server cannot honour
/// are refused when set to anything but their default (<see cref="CompletionRequestValidator"/>); fields it does not
/// know are ignored, as OpenAI-compatible servers do, so existing clients work unchanged.
/// </summary>
public sealed record CompletionRequest
{
    [JsonPropertyName("model")] public string? Model { get; init; }
    /// <summary>A string, or an array holding one string.</summary>
    [JsonPropertyName("prompt")] public JsonElement Prompt { get; init; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("top_p")] public double? TopP { get; init; }
    /// <summary>Not in OpenAI's API; vLLM and LoRAX accept it too.</summary>
    [JsonPropertyName("top_k")] public int? TopK { get; init; }
    [JsonPropertyName("seed")] public long? Seed { get; init; }
    [JsonPropertyName("stream")] public bool? Stream { get; init; }
    [JsonPropertyName("n")] public int? N { get; init; }
    [JsonPropertyName("best_of")] public int? BestOf { get; init; }
    [JsonPropertyName("echo")] public bool? Echo { get; init; }
    [JsonPropertyName("logprobs")] public int? Logprobs { get; init; }
    [JsonPropertyName("stop")] public JsonElement Stop { get; init; }
    [JsonPropertyName("suffix")] public string? Suffix { get; init; }
}

public sealed record CompletionChoice(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("logprobs")] object? Logprobs,
    /// <summary>"length": max_tokens was reached (this server has no stop sequences); null in a stream's chunks before the last.</summary>
    [property: JsonPropertyName("finish_reason")] string? FinishReason);

public sealed record CompletionUsage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens,
    [property: JsonPropertyName("total_tokens")] int TotalTokens);

public sealed record Completion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<CompletionChoice> Choices,
    [property: JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompletionUsage? Usage,
    /// <summary>Not in OpenAI's API: the seed used, so a completion can be reproduced.</summary>
    [property: JsonPropertyName("system_fingerprint")] string SystemFingerprint);

public sealed record ModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelCard> Data);

public sealed record ModelCard(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy);

/// <summary>OpenAI's error shape: {"error": {"message", "type", "param", "code"}}.</summary>
public sealed record OpenAiError([property: JsonPropertyName("error")] OpenAiErrorBody Error);

public sealed record OpenAiErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
