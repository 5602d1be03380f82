using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SlmOps.Data.Entities;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Peft;

namespace SlmOps.Serving;

/// <summary>
/// Serves a resolved SLM version (or a base model alone): makes sure its LLM is resident and the SLM cached, checks the
/// prompt against the tokenizer and the window, then generates in that LLM's continuous batch
/// (<see cref="GenerationScheduler"/>), each column a sequence of its own. A process-wide singleton.
/// </summary>
public sealed class SlmServer(ResidentLlms llms, SlmCache slms, ServingOptions options)
{
    public const int DefaultMaxTokens = 64;

    public ServingOptions Options => options;

    /// <summary>The LLM composed with <paramref name="resolved"/>'s SLM; with compare also the LLM alone (same prompt, options, seed).</summary>
    /// <param name="onToken">For streaming: called as each token arrives (<see cref="StreamedToken"/>); the composed column's
    /// tokens first, then (with compare) the LLM alone's, each column in order.</param>
    public async Task<GenerateResponse> ServeAsync(ResolvedSlm resolved, GenerateRequest request, long startedTimestamp, CancellationToken ct,
        Func<StreamedToken, Task>? onToken = null)
    {
        var method = RequireServable(resolved);
        if (method != "slm") return await ServeAttachedAsync(resolved, new AttachedVersion(resolved.Slm.Id, method, resolved.Slm.WeightsSha256), request, startedTimestamp, ct, onToken);
        var baseVersion = resolved.BaseModelVersion;
        using var held = await UseAsync(baseVersion, ct);
        var llm = held.Llm;
        var ids = Encode(llm, request.Prompt!, resolved.Reference);
        var miss = false;
        SlmLease? lease = await slms.LeaseAsync(resolved.Slm.Id, resolved.Slm.WeightsSha256, llm, loaded => miss = loaded);
        (int[] Tokens, double TokensPerSecond) composed, alone = default;
        var compare = request.Compare == true;
        var generation = OptionsOf(request);
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            try
            {
                CheckWindow(ids, Math.Min(llm.Llm.BlockSize, lease!.Follower.Slm.Config.BlockSize), resolved.Reference);
                // The composed sequence holds the SLM lease until it leaves the batch; the LLM-alone one needs none.
                var composedColumn = GenerationColumn.Start(llm, ids, lease!.Follower, generation, lease, linked.Token);
                lease = null;
                var aloneColumn = compare ? GenerationColumn.Start(llm, ids, null, generation, null, linked.Token) : null;
                composed = await composedColumn.ReadAsync(onToken, llmAlone: false, linked.Token);
                if (aloneColumn is not null) alone = await aloneColumn.ReadAsync(onToken, llmAlone: true, linked.Token);
            }
            catch
            {
                lease?.Dispose();
                await linked.CancelAsync(); // the other column leaves the batch too
                throw;
            }
        }
        return Answer(resolved, llm, ids.Length, composed, compare ? alone : null, generation.Seed, miss, startedTimestamp);
    }

    /// <summary>
    /// A PEFT version (LoRA, adapters, plug-in PEFT, a prefix): its LLM plus its modules, on an LLM instance of its own (the
    /// modules act inside the forward, or the prefix holds the first positions of every window, so that instance batches only
    /// this version's requests); with compare the shared LLM alone. A prefix leaves the prompt the LLM's window less its length.
    /// </summary>
    private async Task<GenerateResponse> ServeAttachedAsync(ResolvedSlm resolved, AttachedVersion attached, GenerateRequest request, long startedTimestamp,
        CancellationToken ct, Func<StreamedToken, Task>? onToken)
    {
        var baseVersion = resolved.BaseModelVersion;
        var miss = !llms.TryGetResident(baseVersion, attached, out _);
        using var held = await UseAsync(baseVersion, ct, attached);
        var llm = held.Llm;
        var ids = Encode(llm, request.Prompt!, resolved.Reference);
        CheckWindow(ids, llm.TextWindow, resolved.Reference, llm.PrefixLength);
        var generation = OptionsOf(request);
        var compare = request.Compare == true;
        (int[] Tokens, double TokensPerSecond) adapted, alone = default;
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct))
        using (var plain = compare ? await UseAsync(baseVersion, ct) : null)
        {
            try
            {
                var adaptedColumn = GenerationColumn.Start(llm, ids, null, generation, null, linked.Token);
                var aloneColumn = plain is null ? null : GenerationColumn.Start(plain.Llm, ids, null, generation, null, linked.Token);
                adapted = await adaptedColumn.ReadAsync(onToken, llmAlone: false, linked.Token);
                if (aloneColumn is not null) alone = await aloneColumn.ReadAsync(onToken, llmAlone: true, linked.Token);
            }
            catch
            {
                await linked.CancelAsync();
                throw;
            }
        }
        return Answer(resolved, llm, ids.Length, adapted, compare ? alone : null, generation.Seed, miss, startedTimestamp);
    }

    private static GenerateResponse Answer(ResolvedSlm resolved, ResidentLlm llm, int promptTokens, (int[] Tokens, double TokensPerSecond) generated,
        (int[] Tokens, double TokensPerSecond)? alone, ulong seed, bool miss, long startedTimestamp) =>
        new(resolved.Task, resolved.Version, resolved.Alias, resolved.Slm.Id, resolved.BaseModelVersion.Id, NameOf(resolved.BaseModelVersion),
            llm.Tokenizer.Decode(generated.Tokens), generated.Tokens.Length, generated.TokensPerSecond,
            Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, seed, miss ? "miss" : "hit",
            alone is { } a ? new LlmAloneResult(llm.Tokenizer.Decode(a.Tokens), a.Tokens.Length, a.TokensPerSecond) : null)
        {
            PromptTokens = promptTokens,
        };

    /// <summary>A base model version alone (the OpenAI surface's <c>model</c> naming a base model).</summary>
    public async Task<(string Text, int PromptTokens, int Tokens, ulong Seed)> ServeLlmAloneAsync(BaseModelVersion baseVersion, GenerateRequest request,
        CancellationToken ct, Func<StreamedToken, Task>? onToken = null)
    {
        using var held = await UseAsync(baseVersion, ct);
        var llm = held.Llm;
        var reference = NameOf(baseVersion);
        var ids = Encode(llm, request.Prompt!, reference);
        CheckWindow(ids, llm.Llm.BlockSize, reference);
        var generation = OptionsOf(request);
        var column = GenerationColumn.Start(llm, ids, null, generation, null, ct);
        var (tokens, _) = await column.ReadAsync(onToken, llmAlone: true, ct);
        return (llm.Tokenizer.Decode(tokens), ids.Length, tokens.Length, generation.Seed);
    }

    public static string NameOf(BaseModelVersion version) => $"{version.BaseModel?.Name ?? "base-model"}@{version.Version}";

    // Resident: no hop to the thread pool (under load each hop waits for a core); otherwise load it off this thread.
    private async Task<LlmLease> UseAsync(BaseModelVersion version, CancellationToken ct, AttachedVersion? attached = null) =>
        llms.TryGetResident(version, attached, out _) ? llms.Use(version, attached) : await Task.Run(() => llms.Use(version, attached), ct);

    private GenerationOptions OptionsOf(GenerateRequest request) => new()
    {
        MaxNewTokens = request.MaxTokens ?? Math.Min(DefaultMaxTokens, options.MaxTokens),
        Temperature = request.Temperature ?? 1.0,
        TopK = request.TopK is null or 0 ? null : request.TopK,
        TopP = request.TopP,
        Seed = request.Seed ?? (ulong)Random.Shared.NextInt64(1, long.MaxValue),
    };

    private static int[] Encode(ResidentLlm llm, string prompt, string reference)
    {
        var unencodable = PromptEncoding.UnencodableCharacters(llm.Tokenizer, prompt);
        if (unencodable.Count > 0)
        {
            throw new ServingException(StatusCodes.Status400BadRequest, "The prompt has characters the tokenizer cannot encode",
                $"The {llm.Tokenizer.Kind} tokenizer of {reference} cannot encode {string.Join(", ", unencodable.Select(Describe))}; " +
                "remove or replace them (it reads printable ASCII; accented letters and typographic quotes are transliterated).",
                new Dictionary<string, object?> { ["characters"] = unencodable });
        }
        var ids = llm.Tokenizer.Encode(prompt);
        if (ids.Length == 0)
        {
            throw new ServingException(StatusCodes.Status400BadRequest, "The prompt is empty after cleaning",
                $"The {llm.Tokenizer.Kind} tokenizer keeps nothing of this prompt; send text with letters or punctuation.");
        }
        return ids;
    }

    /// <param name="prefix">Positions a prefix version's prefix holds before the text; <paramref name="window"/> excludes them.</param>
    private static void CheckWindow(int[] ids, int window, string reference, int prefix = 0)
    {
        if (ids.Length <= window) return;
        var extensions = new Dictionary<string, object?> { ["promptTokens"] = ids.Length, ["window"] = window };
        if (prefix > 0) extensions["prefixLength"] = prefix;
        throw new ServingException(StatusCodes.Status400BadRequest, "The prompt is longer than the window",
            $"The prompt is {ids.Length} tokens; {reference} reads at most {window} tokens at once " +
            (prefix == 0 ? "(its window). " : $"(its LLM's window of {window + prefix} less the {prefix} positions its prefix holds). ") +
            "Send a shorter prompt: the model would never see its beginning.", extensions);
    }

    public ServingStatusDto Status()
    {
        var cache = slms.Status();
        return new ServingStatusDto(
            llms.Loaded.Select(Describe).ToList(),
            new SlmCacheDto(cache.CapacityBytes, cache.Bytes, cache.Hits, cache.Misses, cache.Evictions,
                cache.Entries.Select(e => new CachedSlmDto(e.SlmVersionId, e.Bytes, e.Hits, e.LoadedAt, e.LastUsedAt)).ToList())
            { PoolBytes = cache.PoolBytes, PoolReuses = cache.PoolReuses });
    }


    private static ResidentLlmDto Describe(ResidentLlm llm)
    {
        var (active, waiting, steps) = llm.Scheduler.Load;
        return new ResidentLlmDto(llm.BaseModelVersionId, llm.WeightsSha256, llm.Bytes, llm.LoadedAt) { Generating = active, Waiting = waiting, Steps = steps };
    }

    // LoRA, adapters, plug-in PEFT, prefixes, full fine-tunes and standalone SLMs are registered as SLM versions too; a
    // follower composes with the resident LLM, the modules of LoRA, adapters and plug-in PEFT act inside it, and a prefix
    // holds the first positions of its every window.
    internal static bool IsFollower(SlmVersion slm) => IsFollower(slm.Architecture);

    internal static bool IsFollower(string architecture) => Method(architecture) == "slm";

    /// <summary>Whether serving can run a version of this architecture: a follower, or modules that act inside the LLM.</summary>
    internal static bool IsServable(string architecture) => WhyNotServable(Method(architecture)) is null;

    private static string? WhyNotServable(string method) => method == "slm" ? null : AttachedModules.WhyNotServable(method);

    private static string Method(SlmVersion slm) => Method(slm.Architecture);

    private static string Method(string json)
    {
        using var architecture = JsonDocument.Parse(json);
        return architecture.RootElement.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "slm";
    }

    /// <summary>The version's method when serving can run it: a follower, or modules (or a prefix) the LLM's forward reads.</summary>
    private static string RequireServable(ResolvedSlm resolved)
    {
        var method = Method(resolved.Slm);
        if (WhyNotServable(method) is not { } reason) return method;
        throw new ServingException(StatusCodes.Status422UnprocessableEntity, "This version cannot be served",
            $"{resolved.Reference} (version {resolved.Version}) was trained with method '{method}': {reason}. " +
            $"Serving runs SLM followers (method 'slm') and the modules of {string.Join(", ", AttachedModules.Methods.Select(m => $"'{m}'"))}; " +
            "point the alias at a version trained with one of those.");
    }

    private static string Describe(string character) =>
        Rune.DecodeFromUtf16(character, out var rune, out _) == OperationStatus.Done ? $"'{character}' (U+{rune.Value:X4})" : $"'{character}'";
}
