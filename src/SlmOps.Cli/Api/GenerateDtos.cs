using System.Text.Json.Serialization;

namespace SlmOps.Cli.Api;

/// <summary>POST /api/v1/generate (snake_case on the wire).</summary>
public sealed record GenerateRequest(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("alias")] string? Alias,
    [property: JsonPropertyName("version")] int? Version,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("max_tokens")] int? MaxTokens,
    [property: JsonPropertyName("temperature")] double? Temperature,
    [property: JsonPropertyName("top_k")] int? TopK,
    [property: JsonPropertyName("seed")] ulong? Seed,
    [property: JsonPropertyName("compare")] bool? Compare);

public sealed record GenerateResponse(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("alias")] string? Alias,
    [property: JsonPropertyName("base_model")] string BaseModel,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("tokens_per_second")] double TokensPerSecond,
    [property: JsonPropertyName("elapsed_ms")] double ElapsedMs,
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("slm_cache")] string SlmCache,
    [property: JsonPropertyName("llm_alone")] LlmAloneResult? LlmAlone);

public sealed record LlmAloneResult(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("tokens_per_second")] double TokensPerSecond);
