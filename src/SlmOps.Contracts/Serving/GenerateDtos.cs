using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SlmOps.Contracts.Serving;

/// <summary>
/// POST /api/v1/generate, camelCase like every other endpoint. Name the SLM by <see cref="Alias"/> (default production)
/// or <see cref="Version"/>; temperature 0 is greedy, topK 0 (or absent) samples from the whole vocabulary; the same
/// seed gives the same text. The snake_case names of the first release (<c>max_tokens</c>, <c>top_k</c>) are still
/// read for one release (<see cref="WithDeprecatedNamesResolved"/>); the API answers them with a Warning header.
/// </summary>
public sealed record GenerateRequest
{
    [JsonPropertyName("task")] public string? Task { get; init; }
    [JsonPropertyName("alias")] public string? Alias { get; init; }
    [JsonPropertyName("version")] public int? Version { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("maxTokens")] public int? MaxTokens { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("topK")] public int? TopK { get; init; }
    /// <summary>Nucleus sampling: the most likely tokens whose probabilities reach topP (0..1]; absent or 1 for all.</summary>
    [JsonPropertyName("topP")] public double? TopP { get; init; }
    /// <summary>Absent: the server picks one and returns it, so the answer can be reproduced.</summary>
    [JsonPropertyName("seed")] public ulong? Seed { get; init; }
    /// <summary>Also generate with the LLM alone (same prompt, options and seed) for a side-by-side view.</summary>
    [JsonPropertyName("compare")] public bool? Compare { get; init; }
    /// <summary>Answer text/event-stream: one <c>token</c> event per token, then a <c>done</c> event with usage and timings.</summary>
    [JsonPropertyName("stream")] public bool? Stream { get; init; }

    /// <summary>Deprecated spelling of <see cref="MaxTokens"/>, read for one release.</summary>
    [JsonPropertyName("max_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Deprecated: send maxTokens. The snake_case name is accepted for one more release.")]
    public int? MaxTokensSnakeCase { get; init; }

    /// <summary>Deprecated spelling of <see cref="TopK"/>, read for one release.</summary>
    [JsonPropertyName("top_k"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Deprecated: send topK. The snake_case name is accepted for one more release.")]
    public int? TopKSnakeCase { get; init; }

    /// <summary>Each deprecated name this request used, as "old -> new".</summary>
    public IReadOnlyList<string> DeprecatedNamesUsed()
    {
        var used = new List<string>();
        if (MaxTokensSnakeCase is not null) used.Add("max_tokens -> maxTokens");
        if (TopKSnakeCase is not null) used.Add("top_k -> topK");
        return used;
    }

    /// <summary>A value sent under both spellings with different values: which one was meant cannot be told.</summary>
    public IReadOnlyList<string> DeprecatedNameConflicts()
    {
        var conflicts = new List<string>();
        if (MaxTokensSnakeCase is { } m && MaxTokens is { } max && m != max)
            conflicts.Add($"maxTokens ({max}) and its deprecated spelling max_tokens ({m}) disagree; send maxTokens only.");
        if (TopKSnakeCase is { } k && TopK is { } topK && k != topK)
            conflicts.Add($"topK ({topK}) and its deprecated spelling top_k ({k}) disagree; send topK only.");
        return conflicts;
    }

    /// <summary>The request with each deprecated name moved to its current one (the current one wins when both are given).</summary>
    public GenerateRequest WithDeprecatedNamesResolved() => this with
    {
        MaxTokens = MaxTokens ?? MaxTokensSnakeCase,
        TopK = TopK ?? TopKSnakeCase,
        MaxTokensSnakeCase = null,
        TopKSnakeCase = null,
    };
}

public sealed record GenerateResponse(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("alias")] string? Alias,
    [property: JsonPropertyName("slmVersionId")] long SlmVersionId,
    /// <summary>Id of the base model version (the LLM) the SLM follows.</summary>
    [property: JsonPropertyName("baseModelVersion")] long BaseModelVersion,
    /// <summary>The LLM as name@version, for people.</summary>
    [property: JsonPropertyName("baseModel")] string BaseModel,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("tokensPerSecond")] double TokensPerSecond,
    /// <summary>The whole request: resolution, any model load, generation (and the LLM-alone run with compare).</summary>
    [property: JsonPropertyName("elapsedMs")] double ElapsedMs,
    [property: JsonPropertyName("seed")] ulong Seed,
    /// <summary>"hit" when the SLM was already in memory, "miss" when this request loaded it.</summary>
    [property: JsonPropertyName("slmCache")] string SlmCache,
    [property: JsonPropertyName("llmAlone")] LlmAloneResult? LlmAlone)
{
    /// <summary>Tokens of the prompt as the LLM's tokenizer encoded it (usage: promptTokens + tokens).</summary>
    [JsonPropertyName("promptTokens")] public int PromptTokens { get; init; }
}

public sealed record LlmAloneResult(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("tokens")] int Tokens,
    [property: JsonPropertyName("tokensPerSecond")] double TokensPerSecond);

public sealed record ServingStatusDto(
    [property: JsonPropertyName("llms")] IReadOnlyList<ResidentLlmDto> Llms,
    [property: JsonPropertyName("slmCache")] SlmCacheDto SlmCache);

public sealed record ResidentLlmDto(
    [property: JsonPropertyName("baseModelVersion")] long BaseModelVersion,
    [property: JsonPropertyName("weightsSha256")] string WeightsSha256,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("loadedAt")] DateTimeOffset LoadedAt)
{
    /// <summary>Sequences in this LLM's batch now, and waiting to join it.</summary>
    [JsonPropertyName("generating")] public int Generating { get; init; }
    [JsonPropertyName("waiting")] public int Waiting { get; init; }
    /// <summary>Batch steps run since it was loaded (each step one LLM forward over every sequence in the batch).</summary>
    [JsonPropertyName("steps")] public long Steps { get; init; }
}

public sealed record SlmCacheDto(
    [property: JsonPropertyName("capacityBytes")] long CapacityBytes,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("hits")] long Hits,
    [property: JsonPropertyName("misses")] long Misses,
    [property: JsonPropertyName("evictions")] long Evictions,
    [property: JsonPropertyName("entries")] IReadOnlyList<CachedSlmDto> Entries)
{
    /// <summary>Bytes of evicted SLMs' parameter memory kept for reuse by the next load of the same shape.</summary>
    [JsonPropertyName("poolBytes")] public long PoolBytes { get; init; }
    /// <summary>Misses that refilled pooled memory instead of building a new module (no fresh pages taken).</summary>
    [JsonPropertyName("poolReuses")] public long PoolReuses { get; init; }
}

public sealed record CachedSlmDto(
    [property: JsonPropertyName("slmVersionId")] long SlmVersionId,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("hits")] long Hits,
    [property: JsonPropertyName("loadedAt")] DateTimeOffset LoadedAt,
    [property: JsonPropertyName("lastUsedAt")] DateTimeOffset LastUsedAt);

/// <summary>
/// The server-sent events of <c>POST /api/v1/generate</c> with <c>stream: true</c>: <see cref="Token"/> per token of the
/// LLM + SLM column ({"index", "tokenId", "text"}: text is what the token adds to the decoded output), with compare also
/// <see cref="LlmAloneToken"/> for the LLM-alone column, then one <see cref="Done"/> (the whole <see cref="GenerateResponse"/>,
/// with usage and timings), or <see cref="Error"/> (problem details) if generation fails after the stream began.
/// </summary>
public static class GenerateEvents
{
    public const string Token = "token";
    public const string LlmAloneToken = "llmAloneToken";
    public const string Done = "done";
    public const string Error = "error";
}
