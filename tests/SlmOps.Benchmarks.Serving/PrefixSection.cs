using System.Diagnostics;
using SlmOps.Contracts.Serving;
using SlmOps.Data.Registry;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Peft;
using static SlmOps.Benchmarks.Serving.Stats;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// serving-prefix: a prefix task version (<see cref="Length"/> vectors per layer, saved as a worker saves them) served
/// through SlmServer, cached (the prefix in every sequence's first cache positions), against the same LLM alone through
/// SlmServer: same prompt, --tokens, temperature and seed, one request at a time (the two alternate, so load drifts hit
/// both), tokens over the wall time from request to answer (prefill included). The prefix version runs on an LLM
/// instance of its own, loaded by the warm-up request. Beside them, once: the uncached rate of the same request (every
/// token recomputing the prefix and the window, <see cref="ReferenceGenerator"/>), what serving would cost without the
/// prefix in the cache.
/// </summary>
internal static class PrefixSection
{
    public const int Length = 16;

    public static async Task<List<string>> Run(Bench bench)
    {
        var sha = bench.Checkpoints.SavePrefix(bench.LlmSha, Length);
        var version = new ResolvedSlm("bench-prefix", "production", Versions.Slm(10_000, sha, bench.LlmVersion, method: "prefix"));
        var request = new GenerateRequest { Task = "bench-prefix", Prompt = Bench.Prompt, MaxTokens = bench.Options.Tokens, Temperature = 1.0, Seed = 7 };
        async Task<double> Prefixed()
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await bench.Server.ServeAsync(version, request, started, CancellationToken.None);
            return answer.Tokens / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        async Task<double> Alone()
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await bench.Server.ServeLlmAloneAsync(bench.LlmVersion, request, CancellationToken.None);
            return answer.Tokens / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        await Prefixed(); // warm-up: loads the prefix version's LLM instance
        await Alone();
        var prefixed = new List<double>();
        var alone = new List<double>();
        for (var r = 0; r < bench.Options.Reps; r++)
        {
            prefixed.Add(await Prefixed());
            alone.Add(await Alone());
        }
        var uncached = bench.Inference.RunAsync(() =>
        {
            var model = bench.Resident.Llm.Model;
            using var prefix = PrefixSet.Load(bench.Checkpoints.DirOf(sha), model);
            var started = Stopwatch.GetTimestamp();
            ReferenceGenerator.Generate(model, prefix, bench.Encode(Bench.Prompt), new GenerationOptions { MaxNewTokens = bench.Options.Tokens, Seed = 7 });
            return bench.Options.Tokens / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }, CancellationToken.None).Result;
        double p = Median(prefixed), a = Median(alone);
        return [$"serving-prefix: device=cpu threads={bench.Threads} prefix={Length} prompt={bench.Encode(Bench.Prompt).Length} tokens={bench.Options.Tokens} prefix_tok_s={p:F1} llm_alone_tok_s={a:F1} uncached_prefix_tok_s={uncached:F1} ratio={p / a:F2} vs llm-alone through SlmServer"];
    }
}
