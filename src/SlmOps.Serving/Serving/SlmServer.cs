using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving;

/// <summary>
/// Serves an already resolved SLM version: makes sure its LLM is resident and the SLM cached, then generates on the
/// LLM's own inference thread (libtorch's dispose scopes, grad mode and OpenMP team are per thread, so a generation
/// never hops threads; one generation at a time per LLM). A process-wide singleton.
/// </summary>
public sealed class SlmServer(ResidentLlms llms, SlmCache slms, ServingOptions options)
{
    public const int DefaultMaxTokens = 64;

    public ServingOptions Options => options;

    public async Task<GenerateResponse> ServeAsync(ResolvedSlm resolved, GenerateRequest request, long startedTimestamp, CancellationToken ct)
    {
        RequireFollower(resolved);
        var baseVersion = resolved.BaseModelVersion;
        // Resident: no hop to the thread pool (under load each hop waits for a core); otherwise load it off this thread.
        var llm = llms.TryGetResident(baseVersion.Id, out var resident) ? resident : await Task.Run(() => llms.Get(baseVersion), ct);
        var unencodable = PromptEncoding.UnencodableCharacters(llm.Tokenizer, request.Prompt!);
        if (unencodable.Count > 0)
        {
            throw new ServingException(StatusCodes.Status400BadRequest, "The prompt has characters the tokenizer cannot encode",
                $"The {llm.Tokenizer.Kind} tokenizer of {resolved.Reference} cannot encode {string.Join(", ", unencodable.Select(Describe))}; " +
                "remove or replace them (it reads printable ASCII; accented letters and typographic quotes are transliterated).",
                new Dictionary<string, object?> { ["characters"] = unencodable });
        }
        var ids = llm.Tokenizer.Encode(request.Prompt!);
        if (ids.Length == 0)
        {
            throw new ServingException(StatusCodes.Status400BadRequest, "The prompt is empty after cleaning",
                $"The {llm.Tokenizer.Kind} tokenizer keeps nothing of this prompt; send text with letters or punctuation.");
        }

        var seed = request.Seed ?? (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        var generation = new GenerationOptions
        {
            MaxNewTokens = request.MaxTokens ?? Math.Min(DefaultMaxTokens, options.MaxTokens),
            Temperature = request.Temperature ?? 1.0,
            TopK = request.TopK is null or 0 ? null : request.TopK,
            Seed = seed,
        };
        var miss = false;
        using var lease = await slms.LeaseAsync(resolved.Slm.Id, resolved.Slm.WeightsSha256, llm, loaded => miss = loaded);
        var compare = request.Compare == true;

        var (composed, alone) = await llm.Inference.RunAsync(() =>
        {
            var withSlm = Timed(() => TextGenerator.Generate(llm.Llm, lease.Follower, ids, generation));
            var llmOnly = compare ? Timed(() => TextGenerator.Generate(llm.Llm.Model, ids, generation)) : default;
            return (withSlm, llmOnly);
        }, ct);

        return new GenerateResponse(
            resolved.Task, resolved.Version, resolved.Alias, resolved.Slm.Id, baseVersion.Id,
            $"{baseVersion.BaseModel?.Name ?? "base-model"}@{baseVersion.Version}",
            llm.Tokenizer.Decode(composed.Tokens), composed.Tokens.Length, composed.TokensPerSecond,
            Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, seed, miss ? "miss" : "hit",
            compare ? new LlmAloneResult(llm.Tokenizer.Decode(alone.Tokens), alone.Tokens.Length, alone.TokensPerSecond) : null);
    }

    public ServingStatusDto Status()
    {
        var cache = slms.Status();
        return new ServingStatusDto(
            llms.Loaded.Select(l => new ResidentLlmDto(l.BaseModelVersionId, l.WeightsSha256, l.Bytes, l.LoadedAt)).ToList(),
            new SlmCacheDto(cache.CapacityBytes, cache.Bytes, cache.Hits, cache.Misses, cache.Evictions,
                cache.Entries.Select(e => new CachedSlmDto(e.SlmVersionId, e.Bytes, e.Hits, e.LoadedAt, e.LastUsedAt)).ToList()));
    }

    private static (int[] Tokens, double TokensPerSecond) Timed(Func<int[]> generate)
    {
        var started = Stopwatch.GetTimestamp();
        var tokens = generate();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (tokens, seconds > 0 ? tokens.Length / seconds : 0);
    }

    // LoRA adapters, full fine-tunes and standalone SLMs are registered as SLM versions too, but only a follower
    // composes with the resident LLM.
    internal static bool IsFollower(SlmOps.Data.Entities.SlmVersion slm) => Method(slm) == "slm";

    private static string? Method(SlmOps.Data.Entities.SlmVersion slm)
    {
        using var architecture = JsonDocument.Parse(slm.Architecture);
        return architecture.RootElement.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "slm";
    }

    private static void RequireFollower(ResolvedSlm resolved)
    {
        var method = Method(resolved.Slm);
        if (method != "slm")
        {
            throw new ServingException(StatusCodes.Status422UnprocessableEntity, "This version cannot be served",
                $"{resolved.Reference} (version {resolved.Version}) was trained with method '{method}'; serving composes the resident LLM " +
                "with SLM followers only (method 'slm'). Point the alias at a version trained with method 'slm'.");
        }
    }

    private static string Describe(string character) =>
        Rune.DecodeFromUtf16(character, out var rune, out _) == OperationStatus.Done ? $"'{character}' (U+{rune.Value:X4})" : $"'{character}'";
}
