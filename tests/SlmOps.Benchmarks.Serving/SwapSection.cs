using System.Diagnostics;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Models;
using SlmOps.Serving;
using SlmOps.Contracts.Serving;
using static SlmOps.Benchmarks.Serving.Stats;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// Swapping the SLM behind an alias vs serving a full fine-tuned LLM copy instead, each peer doing exactly what its
/// kind of serving needs:
/// (a) cold swap: the alias names an SLM version that is not cached and nothing prefetched it; timed: the first request
///     (SLM load with its sha256 check + first token). Peer: a cold full copy = read model.safetensors, verify it against
///     the registry's sha256 (on the same read), build the module, first token. Nothing else (no frozen-weights hash:
///     a standalone copy has no followers to match).
/// (a') prefetched swap: the alias move loaded the version in the background; timed: the first request after that
///     (a cache hit). Peer: a prefetched full copy = the copy already resident; timed: its first token. Both are "first
///     token of an already loaded model", so their ratio is not a swap speedup and is printed as a comparison only.
/// Plus the phases of each load and the cold swap split into the cache miss and the request after it.
/// </summary>
internal sealed class SwapSection(Bench bench)
{
    public double ColdSwapMs { get; private set; }
    public double SlmLoadMs { get; private set; }
    public double PrefetchedSwapMs { get; private set; }
    public double FullCopyMs { get; private set; }
    public double PrefetchedFullCopyMs { get; private set; }

    public async Task<List<string>> Run()
    {
        var reps = bench.Options.Reps;
        var swapMs = new List<double>();
        for (var r = 1; r <= reps; r++)
        {
            var started = Stopwatch.GetTimestamp();
            var first = await bench.Serve(r, 1);
            swapMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (first.SlmCache != "miss") throw new InvalidOperationException("The swap was served from the cache; it must be cold.");
        }

        // The same first response once the SLM is cached: what the swap adds on top of it is the load.
        var warmMs = new List<double>();
        for (var r = 1; r <= reps; r++)
        {
            var started = Stopwatch.GetTimestamp();
            await bench.Serve(r, 1);
            warmMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        // Prefetched swap: versions Reps+1..2*Reps, moved one at a time; the first request comes after the background load.
        var prefetchLoadMs = new List<double>();
        var prefetchedMs = new List<double>();
        for (var r = reps + 1; r <= 2 * reps; r++)
        {
            var moved = Stopwatch.GetTimestamp();
            await bench.Prefetcher.Prefetch(bench.SlmVersion(r));
            prefetchLoadMs.Add(Stopwatch.GetElapsedTime(moved).TotalMilliseconds);
            var started = Stopwatch.GetTimestamp();
            var first = await bench.Serve(r, 1);
            prefetchedMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (first.SlmCache != "hit") throw new InvalidOperationException("The prefetched version was not in the cache.");
        }

        // The cold swap split in two: versions 2*Reps+1..3*Reps, first leased cold from the cache (the miss as a request
        // takes it, on a pool thread), then served (a hit): where the cold swap's time goes.
        var coldLeaseMs = new List<double>();
        var firstAfterLeaseMs = new List<double>();
        for (var r = 2 * reps + 1; r <= 3 * reps; r++)
        {
            var started = Stopwatch.GetTimestamp();
            using (await bench.Cache.LeaseAsync(r + 1, bench.SlmShas[r], bench.Resident)) coldLeaseMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await bench.Serve(r, 1);
            firstAfterLeaseMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        // Phases of the SLM load, now and through the previous path (manifest pass, then Module.load reading the file again).
        var slmPhases = new List<CheckpointLoadTimings>();
        var legacyMs = new List<double>();
        for (var r = 1; r <= reps; r++)
        {
            var timings = new CheckpointLoadTimings();
            ModelCheckpoint.LoadFollower(bench.Checkpoints.DirOf(bench.SlmShas[r]), bench.Resident.Llm, bench.Resident.Tokenizer.Hash, timings).Dispose();
            slmPhases.Add(timings);
            var started = Stopwatch.GetTimestamp();
            LegacyLoadFollower(bench.Checkpoints.DirOf(bench.SlmShas[r]), bench.Resident.Llm).Dispose();
            legacyMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        // Cold-miss memory: loads that take fresh pages (every loaded SLM kept, as a cache with room keeps them) vs loads
        // that refill an evicted follower from a FollowerPool (what a miss after an eviction does with the pool).
        var freshMs = new List<double>();
        var pooledMs = new List<double>();
        var kept = new List<SlmFollower>();
        using (var pool = new FollowerPool(capacityBytes: 1L << 30))
        {
            pool.Return(LoadFollower(bench, 0, null));
            for (var r = 1; r <= reps; r++)
            {
                var started = Stopwatch.GetTimestamp();
                kept.Add(LoadFollower(bench, r, null));
                freshMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                var refilled = LoadFollower(bench, r, pool);
                pooledMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                pool.Return(refilled);
            }
        }
        var slmBytes = ModelMemory.Bytes(kept[0]);
        foreach (var f in kept) f.Dispose();

        // Cold swaps with a full cache (steady state): a cache that holds two SLMs, cycled over three versions, so every
        // request is a miss that evicts the least recently used; after the priming misses each load refills the module
        // an earlier miss evicted into the pool (as the serving host's SlmCache does) instead of taking fresh pages.
        var steadyMs = new List<double>();
        long steadyReuses;
        var (fullCache, fullServer) = bench.FullCache(cacheBytes: 2 * slmBytes + slmBytes / 2);
        using (fullCache)
        {
            for (var v = 1; v <= 3; v++) await bench.Serve(fullServer, v, 1);
            for (var r = 0; r < reps; r++)
            {
                var started = Stopwatch.GetTimestamp();
                var first = await bench.Serve(fullServer, r % 3 + 1, 1);
                steadyMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (first.SlmCache != "miss") throw new InvalidOperationException("A full-cache swap was a hit; it must be a miss.");
            }
            steadyReuses = fullCache.Status().PoolReuses;
        }

        // The full-copy peer, cold: read + verify the registry's sha256 + build, then the first token on a warm inference thread.
        var copyMs = new List<double>();
        var copyPhases = new List<CheckpointLoadTimings>();
        var copyFirstTokenMs = new List<double>();
        var one = new GenerationOptions { MaxNewTokens = 1, Seed = 7 };
        for (var r = 0; r < reps; r++)
        {
            var timings = new CheckpointLoadTimings();
            var started = Stopwatch.GetTimestamp();
            var (copy, _) = ModelCheckpoint.LoadLanguageModel(bench.Checkpoints.DirOf(bench.CopySha), bench.CopySha, timings);
            using (copy)
            {
                var loaded = Stopwatch.GetTimestamp();
                await bench.Inference.RunAsync(() => TextGenerator.Generate(copy, bench.Encode(Bench.Prompt), one), CancellationToken.None);
                copyFirstTokenMs.Add(Stopwatch.GetElapsedTime(loaded).TotalMilliseconds);
                copyMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                copyPhases.Add(timings);
            }
        }

        // The full-copy peer, prefetched: the copy is resident; its first request is its first token.
        var prefetchedCopyMs = new List<double>();
        var (resident, _) = ModelCheckpoint.LoadLanguageModel(bench.Checkpoints.DirOf(bench.CopySha), bench.CopySha);
        using (resident)
        {
            resident.eval();
            for (var r = 0; r < reps; r++)
            {
                var started = Stopwatch.GetTimestamp();
                await bench.Inference.RunAsync(() => TextGenerator.Generate(resident, bench.Encode(Bench.Prompt), one), CancellationToken.None);
                prefetchedCopyMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        // First token, by part: LLM alone vs LLM + SLM (cached), on the LLM's inference thread.
        var llmStepMs = new List<double>();
        var composedStepMs = new List<double>();
        var promptIds = bench.Encode(Bench.Prompt);
        using (var lease = await bench.Cache.LeaseAsync(2, bench.SlmShas[1], bench.Resident))
        {
            await bench.Inference.RunAsync(() =>
            {
                for (var r = 0; r < reps; r++)
                {
                    var started = Stopwatch.GetTimestamp();
                    TextGenerator.Generate(bench.Resident.Llm.Model, promptIds, one);
                    llmStepMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    started = Stopwatch.GetTimestamp();
                    TextGenerator.Generate(bench.Resident.Llm, lease.Follower, promptIds, one);
                    composedStepMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                return 0;
            }, CancellationToken.None);
        }

        double warm = Median(warmMs);
        ColdSwapMs = Median(swapMs);
        SlmLoadMs = ColdSwapMs - warm;
        PrefetchedSwapMs = Median(prefetchedMs);
        FullCopyMs = Median(copyMs);
        PrefetchedFullCopyMs = Median(prefetchedCopyMs);
        var threads = bench.Threads;
        return
        [
            $"serving-load-phases: slm {Phases(slmPhases)}; total {Median(slmPhases.Select(p => p.TotalMs).ToList()):F1} ms (previous path: manifest pass + Module.load {Median(legacyMs):F1} ms)",
            $"serving-load-phases: full-llm-copy {Phases(copyPhases)}; first token {Median(copyFirstTokenMs):F1} ms",
            $"serving-first-token: prompt={promptIds.Length} tokens llm_alone_ms={Median(llmStepMs):F1} composed_ms={Median(composedStepMs):F1} served_first_token_ms={warm:F1} (the whole request: resolve-free SlmServer call, queue to the LLM's inference thread, generation)",
            $"serving-cold-split: cold_lease_ms={Median(coldLeaseMs):F1} first_request_after_it_ms={Median(firstAfterLeaseMs):F1}",
            $"serving-pool: slm_load_fresh_ms={Median(freshMs):F1} slm_load_pooled_ms={Median(pooledMs):F1} (a miss into fresh pages vs refilling an evicted follower from a FollowerPool, as the serving host's SlmCache does)",
            $"serving-swap: device=cpu threads={threads} cold_swap_ms={ColdSwapMs:F1} (first token when cached {warm:F1}, SLM load {SlmLoadMs:F1}) full_copy_ms={FullCopyMs:F1} (read + registry sha256 + build + first token) ratio={FullCopyMs / ColdSwapMs:F1} vs full-llm-copy (target: swap < 100 ms, ratio >= 10)",
            $"serving-swap-steady: device=cpu threads={threads} cold_swap_ms={Median(steadyMs):F1} pool_reuses={steadyReuses} of {reps} timed misses (full cache: every request a miss that evicts; the load refills pooled memory) full_copy_ms={FullCopyMs:F1} ratio={FullCopyMs / Median(steadyMs):F1} vs full-llm-copy",
            $"serving-swap-prefetched: device=cpu threads={threads} prefetched_swap_ms={PrefetchedSwapMs:F1} (first request after the alias move; background load {Median(prefetchLoadMs):F1} ms) prefetched_full_copy_ms={PrefetchedFullCopyMs:F1} (first token of a resident copy) ratio={PrefetchedFullCopyMs / PrefetchedSwapMs:F2} vs prefetched-full-copy (both are a first token of a loaded model; not a swap speedup)",
        ];
    }

    private static SlmFollower LoadFollower(Bench bench, int index, FollowerPool? pool) =>
        ModelCheckpoint.LoadFollower(bench.Checkpoints.DirOf(bench.SlmShas[index]), bench.Resident.Llm, bench.Resident.Tokenizer.Hash,
            expectedWeightsFileSha256: bench.SlmShas[index], pool: pool);

    private static string Phases(List<CheckpointLoadTimings> all) =>
        $"verify files {Median(all.Select(p => p.VerifyFilesMs).ToList()):F1} ms, config {Median(all.Select(p => p.ConfigMs).ToList()):F1} ms, " +
        $"construct {Median(all.Select(p => p.ConstructMs).ToList()):F1} ms, weights read+sha256+copy {Median(all.Select(p => p.WeightsMs).ToList()):F1} ms";

    // The load as it was before the single-read path: a manifest pass hashing every file, then Module.load reading the weights again.
    private static SlmFollower LegacyLoadFollower(string dir, FrozenLlm llm)
    {
        Sha256Manifest.Verify(dir);
        var config = ModelCheckpoint.ReadConfig(dir);
        var follower = new SlmFollower(ModelFactory.Create(config.Model), config.Coupling!, config.BaseModelWidth!.Value);
        follower.load(Path.Combine(dir, ModelCheckpoint.WeightsFile));
        follower.eval();
        return follower;
    }
}
