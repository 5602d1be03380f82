// Serving benchmark (deploy/bench.sh serving). Measured through SlmServer, the singleton behind POST /api/v1/generate,
// called directly with a resolved version (no HTTP, no database: alias resolution is one indexed query and is not timed).
// (a) cold swap: the LLM is resident and an SLM already served; the alias then names a new SLM version that is not cached
//     and nothing prefetched it. Timed: the first request for it (SLM load + manifest sha256 check + first token).
// (a') prefetched swap: the alias moves (SlmPrefetcher, what the registry's alias change triggers in the web host) and
//     the version loads in the background; timed: the first request after the load finished (a cache hit), and,
//     separately, how long the background load took. Peer of both: bringing up a full fine-tuned copy of the LLM
//     instead (load + weights sha256 check + first token).
// Phase breakdowns: the SLM and LLM loads (verify config/tokenizer, config, construction, one streamed pass over the
// weights: read + sha256 + copy into parameters), the same SLM load through an older path (manifest pass, then
// Module.load reading the file again), the cold swap split into the cache miss and the request after it, and the first token.
// (b) throughput: tokens/s of LLM+SLM (tokens coupling, the paper's) vs the LLM alone, same prompt, seed and options
//     (the compare path of the same request). Warm-up excluded; medians over --reps.
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Benchmarks.Serving;
using SlmOps.Data.Entities;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Generation;
using SlmOps.Torch;
using SlmOps.Data.Registry;
using SlmOps.Serving;
using SlmOps.Contracts.Serving;

var options = BenchOptions.Parse(args);
torch.set_num_threads(options.Threads);
var models = Path.Combine(options.WorkDir, "models");
Directory.CreateDirectory(models);
Console.Error.WriteLine($"serving: device=cpu threads={torch.get_num_threads()} reps={options.Reps} tokens={options.Tokens} work={options.WorkDir}");

try
{
    var checkpoints = new PaperCheckpoints(models);
    var llmSha = checkpoints.SaveLlm(seed: 1);
    var copySha = checkpoints.SaveLlm(seed: 2); // stands in for a fully fine-tuned copy: same shape, other weights
    var slmShas = new List<string>();
    var (llmModel, _) = SlmOps.Modeling.Checkpoints.ModelCheckpoint.LoadLanguageModel(checkpoints.DirOf(llmSha));
    using (var frozen = new FrozenLlm(llmModel))
    {
        for (var i = 0; i <= 3 * options.Reps; i++) slmShas.Add(checkpoints.SaveFollower(frozen, seed: 100 + i));
    }
    Console.Error.WriteLine($"serving: llm {llmModel.Config.ParameterCount():N0} params, slm {SlmOps.Modeling.Architectures.ModelPresets.PaperSlm(PaperCheckpoints.Tokenizer.VocabSize).ParameterCount():N0} params, {slmShas.Count} SLM versions written");

    var llmVersion = Versions.Llm(1, llmSha);
    var copyVersion = Versions.Llm(2, copySha);
    var servingOptions = new ServingOptions { CacheBytes = 2L * 1024 * 1024 * 1024, MaxTokens = 4096 };
    var directories = new PublishedModelFolders(options.WorkDir);
    using var llms = new ResidentLlms(directories, servingOptions, NullLogger<ResidentLlms>.Instance);
    using var cache = new SlmCache(directories, servingOptions, NullLogger<SlmCache>.Instance);
    var server = new SlmServer(llms, cache, servingOptions);
    var prefetcher = new SlmPrefetcher(llms, cache, NullLogger<SlmPrefetcher>.Instance);
    const string prompt = "the small model follows the large one, and the team swaps it whenever the task changes.";

    Task<GenerateResponse> Serve(int slm, int tokens, bool compare = false) => server.ServeAsync(
        new ResolvedSlm("bench", "production", Versions.Slm(slm, slmShas[slm], llmVersion)),
        new GenerateRequest { Task = "bench", Prompt = prompt, MaxTokens = tokens, Temperature = 1.0, Seed = 7, Compare = compare },
        Stopwatch.GetTimestamp(), CancellationToken.None);

    // Warm: LLM resident, SLM version 0 served (as production would be before the alias moves).
    await Serve(0, 4, compare: true);

    var swapMs = new List<double>();
    for (var r = 1; r <= options.Reps; r++)
    {
        var started = Stopwatch.GetTimestamp();
        var first = await Serve(r, 1);
        swapMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (first.SlmCache != "miss") throw new InvalidOperationException("The swap was served from the cache; it must be cold.");
    }

    // The same first response once the SLM is cached: what the swap adds on top of it is the load.
    var warmMs = new List<double>();
    for (var r = 1; r <= options.Reps; r++)
    {
        var started = Stopwatch.GetTimestamp();
        await Serve(r, 1);
        warmMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    // Prefetched swap: versions Reps+1..2*Reps, moved one at a time; the first request comes after the background load.
    var prefetchLoadMs = new List<double>();
    var prefetchedMs = new List<double>();
    for (var r = options.Reps + 1; r <= 2 * options.Reps; r++)
    {
        var moved = Stopwatch.GetTimestamp();
        await prefetcher.Prefetch(Versions.Slm(r, slmShas[r], llmVersion));
        prefetchLoadMs.Add(Stopwatch.GetElapsedTime(moved).TotalMilliseconds);
        var started = Stopwatch.GetTimestamp();
        var first = await Serve(r, 1);
        prefetchedMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (first.SlmCache != "hit") throw new InvalidOperationException("The prefetched version was not in the cache.");
    }

    // The cold swap split in two: versions 2*Reps+1..3*Reps, first leased cold from the cache (the miss as a request
    // takes it, on a pool thread), then served (a hit): where the cold swap's time goes.
    var coldLeaseMs = new List<double>();
    var firstAfterLeaseMs = new List<double>();
    for (var r = 2 * options.Reps + 1; r <= 3 * options.Reps; r++)
    {
        var started = Stopwatch.GetTimestamp();
        using (await cache.LeaseAsync(r + 1, slmShas[r], llms.Use(llmVersion).Llm)) coldLeaseMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        started = Stopwatch.GetTimestamp();
        await Serve(r, 1);
        firstAfterLeaseMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    // Phases of the SLM load, now and through the previous path (manifest pass, then Module.load reading the file again).
    var resident = llms.Use(llmVersion).Llm;
    var slmPhases = new List<CheckpointLoadTimings>();
    var legacyMs = new List<double>();
    for (var r = 1; r <= options.Reps; r++)
    {
        var timings = new CheckpointLoadTimings();
        ModelCheckpoint.LoadFollower(checkpoints.DirOf(slmShas[r]), resident.Llm, resident.Tokenizer.Hash, timings).Dispose();
        slmPhases.Add(timings);
        var started = Stopwatch.GetTimestamp();
        LegacyLoadFollower(checkpoints.DirOf(slmShas[r]), resident.Llm).Dispose();
        legacyMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    var copyMs = new List<double>();
    var copyPhases = new List<CheckpointLoadTimings>();
    var copyFirstTokenMs = new List<double>();
    var promptIds = PaperCheckpoints.Tokenizer.Encode(prompt);
    for (var r = 0; r < options.Reps; r++)
    {
        var timings = new CheckpointLoadTimings();
        var started = Stopwatch.GetTimestamp();
        using var copy = ResidentLlms.Load(copyVersion, checkpoints.DirOf(copySha), servingOptions, timings);
        var loaded = Stopwatch.GetTimestamp();
        await Task.Factory.StartNew(() => TextGenerator.Generate(copy.Llm.Model, promptIds, new GenerationOptions { MaxNewTokens = 1, Seed = 7 }),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        copyFirstTokenMs.Add(Stopwatch.GetElapsedTime(loaded).TotalMilliseconds);
        copyMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        copyPhases.Add(timings);
    }

    // First token, by part: one LLM forward over the prompt, the composed step (LLM + draws + SLM), on the serving thread's terms.
    var llmStepMs = new List<double>();
    var composedStepMs = new List<double>();
    using (var lease = await cache.LeaseAsync(1, slmShas[1], resident))
    {
        await Task.Factory.StartNew(() =>
        {
            var one = new GenerationOptions { MaxNewTokens = 1, Seed = 7 };
            for (var r = 0; r < options.Reps; r++)
            {
                var started = Stopwatch.GetTimestamp();
                TextGenerator.Generate(resident.Llm.Model, promptIds, one);
                llmStepMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                TextGenerator.Generate(resident.Llm, lease.Follower, promptIds, one);
                composedStepMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    var composed = new List<double>();
    var alone = new List<double>();
    await Serve(0, options.Tokens, compare: true); // warm-up at full length
    for (var r = 0; r < options.Reps; r++)
    {
        var answer = await Serve(0, options.Tokens, compare: true);
        composed.Add(answer.TokensPerSecond);
        alone.Add(answer.LlmAlone!.TokensPerSecond);
    }

    double swap = Median(swapMs), warm = Median(warmMs), full = Median(copyMs), both = Median(composed), llmOnly = Median(alone);
    double prefetched = Median(prefetchedMs), background = Median(prefetchLoadMs);
    var threads = torch.get_num_threads();
    Console.WriteLine($"serving-load-phases: slm {Phases(slmPhases)}; total {Median(slmPhases.Select(p => p.TotalMs).ToList()):F1} ms (previous path: manifest pass + Module.load {Median(legacyMs):F1} ms)");
    Console.WriteLine($"serving-load-phases: full-llm-copy {Phases(copyPhases)}; with tokenizer + frozen weights hash {Median(copyMs) - Median(copyFirstTokenMs):F1} ms; first token {Median(copyFirstTokenMs):F1} ms");
    Console.WriteLine($"serving-first-token: prompt={promptIds.Length} tokens llm_alone_step_ms={Median(llmStepMs):F1} composed_step_ms={Median(composedStepMs):F1} served_first_token_ms={warm:F1} (the whole request: resolve-free SlmServer call, queue to the LLM's inference thread, generation)");
    Console.WriteLine($"serving-cold-split: cold_lease_ms={Median(coldLeaseMs):F1} first_request_after_it_ms={Median(firstAfterLeaseMs):F1}");
    Console.WriteLine($"serving-swap: device=cpu threads={threads} cold_swap_ms={swap:F1} (first token when cached {warm:F1}, SLM load {swap - warm:F1}) full_copy_ms={full:F1} ratio={full / swap:F1} vs full-llm-copy (target: swap < 100 ms, ratio >= 10)");
    Console.WriteLine($"serving-swap: device=cpu threads={threads} prefetched_swap_ms={prefetched:F1} (first request after the alias move, background load {background:F1} ms) full_copy_ms={full:F1} ratio={full / prefetched:F1} vs full-llm-copy (target: swap < 100 ms, ratio >= 10)");
    Console.WriteLine($"serving-throughput: device=cpu threads={threads} tokens={options.Tokens} composed_tok_s={both:F1} llm_alone_tok_s={llmOnly:F1} ratio={both / llmOnly:F2} vs llm-alone (target >= 0.7)");
    Console.WriteLine($"serving: device=cpu threads={threads} cold_swap_ms={swap:F1} slm_load_ms={swap - warm:F1} prefetched_swap_ms={prefetched:F1} full_copy_ms={full:F1} cold_speedup={full / swap:F1} prefetched_speedup={full / prefetched:F1} composed_tok_s={both:F1} llm_alone_tok_s={llmOnly:F1} ratio={both / llmOnly:F2} vs llm-alone");
    return 0;
}
finally
{
    if (!options.Keep && Directory.Exists(options.WorkDir)) Directory.Delete(options.WorkDir, recursive: true);
}

static string Phases(List<CheckpointLoadTimings> all) =>
    $"verify files {Median(all.Select(p => p.VerifyFilesMs).ToList()):F1} ms, config {Median(all.Select(p => p.ConfigMs).ToList()):F1} ms, " +
    $"construct {Median(all.Select(p => p.ConstructMs).ToList()):F1} ms, weights read+sha256+copy {Median(all.Select(p => p.WeightsMs).ToList()):F1} ms";

// The load as it was before the single-read path: a manifest pass hashing every file, then Module.load reading the weights again.
static SlmFollower LegacyLoadFollower(string dir, FrozenLlm llm)
{
    Sha256Manifest.Verify(dir);
    var config = ModelCheckpoint.ReadConfig(dir);
    var follower = new SlmFollower(ModelFactory.Create(config.Model), config.Coupling!, config.BaseModelWidth!.Value);
    follower.load(Path.Combine(dir, ModelCheckpoint.WeightsFile));
    follower.eval();
    return follower;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>Registry rows as the resolver would return them, built in memory.</summary>
internal static class Versions
{
    public static BaseModelVersion Llm(long id, string sha) => new()
    {
        Id = id, BaseModelId = 1, Version = (int)id, ArchitectureKind = ArchitectureKind.Fft, Architecture = "{}", ParameterCount = 1,
        WeightsSha256 = sha, TokenizerSha256 = sha, CreatedBy = "bench", BaseModel = new BaseModel { Id = 1, Name = "paper-llm", CreatedBy = "bench" },
    };

    public static SlmVersion Slm(int index, string sha, BaseModelVersion llm) => new()
    {
        Id = index + 1, TaskModelId = 1, Version = index + 1, BaseModelVersionId = llm.Id, BaseModelVersion = llm,
        CouplingMode = SlmOps.Contracts.CouplingMode.Tokens, Architecture = """{"method":"slm"}""", ParameterCount = 1,
        WeightsSha256 = sha, CreatedBy = "bench",
    };
}
