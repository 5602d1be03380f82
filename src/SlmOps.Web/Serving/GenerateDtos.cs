using System.Text.Json.Serialization;

namespace SlmOps.Web.Serving;

/// <summary>
/// POST /api/v1/generate. Name the SLM by <see cref="Alias"/> (default production) or <see cref="Version"/>;
/// temperature 0 is greedy, top_k 0 (or absent) samples from the whole vocabulary; the same seed gives the same text.
/// </summary>
public sealed record GenerateRequest
{
    [JsonPropertyName("task")] public string? Task { get; init; }
    [JsonPropertyName("alias")] public string? Alias { get; init; }
    [JsonPropertyName("version")] public int? Version { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("top_k")] public int? TopK { get; init; }
    /// <summary>Absent: the server picks one and returns it, so the answer can be reproduced.</summary>
    [JsonPropertyName("seed")] public ulong? Seed { get; init; }
    /// <summary>Also generate with the LLM alone (same prompt, options and seed) for a side-by-side view.</summary>
    [JsonPropertyName("compare")] public bool? Compare { get; init; }
}

public sealed record GenerateResponse(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("alias")] string? Alias,
    [property: JsonPropertyName("slm_version_id")] long SlmVersionId,
    /// <summary>Id of the base model version (the LLM) the SLM follows.</summary>
    [property: JsonPropertyName("base_model_version")] long BaseModelVersion,
    /// <summary>The LLM as name@version, for people.</summary>
    [property: JsonPropertyName("base_model")] string BaseModel,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("tokens_per_second")] double TokensPerSecond,
    /// <summary>The whole request: resolution, any model load, generation (and the LLM-alone run with compare).</summary>
    [property: JsonPropertyName("elapsed_ms")] double ElapsedMs,
    [property: JsonPropertyName("seed")] ulong Seed,
    /// <summary>"hit" when the SLM was already in memory, "miss" when this request loaded it.</summary>
    [property: JsonPropertyName("slm_cache")] string SlmCache,
    [property: JsonPropertyName("llm_alone")] LlmAloneResult? LlmAlone);

public sealed record LlmAloneResult(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("tokens_per_second")] double TokensPerSecond);

public sealed record ServingStatusDto(
    [property: JsonPropertyName("llms")] IReadOnlyList<ResidentLlmDto> Llms,
    [property: JsonPropertyName("slm_cache")] SlmCacheDto SlmCache);

public sealed record ResidentLlmDto(
    [property: JsonPropertyName("base_model_version")] long BaseModelVersion,
    [property: JsonPropertyName("weights_sha256")] string WeightsSha256,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("loaded_at")] DateTimeOffset LoadedAt);

public sealed record SlmCacheDto(
    [property: JsonPropertyName("capacity_bytes")] long CapacityBytes,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("hits")] long Hits,
    [property: JsonPropertyName("misses")] long Misses,
    [property: JsonPropertyName("evictions")] long Evictions,
    [property: JsonPropertyName("entries")] IReadOnlyList<CachedSlmDto> Entries);

public sealed record CachedSlmDto(
    [property: JsonPropertyName("slm_version_id")] long SlmVersionId,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("hits")] long Hits,
    [property: JsonPropertyName("loaded_at")] DateTimeOffset LoadedAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset LastUsedAt);
