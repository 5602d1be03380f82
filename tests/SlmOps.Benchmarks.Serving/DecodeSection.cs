using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Generation;
using static SlmOps.Benchmarks.Serving.Stats;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// serving-decode: the LLM alone, one request (the benchmark prompt, --tokens new tokens, temperature 1), decoded with
/// caches through the model API, against PyTorch eager running the same cache design on the same checkpoint and
/// threads, and against the bandwidth bound: measured read bandwidth / the LLM's weight bytes (at batch 1 every token
/// reads the weights once).
/// </summary>
internal static class DecodeSection
{
    public static List<string> Run(Bench bench, out double llmAloneTokensPerSecond)
    {
        var options = bench.Options;
        var llm = bench.Resident.Llm;
        var prompt = bench.Encode(Bench.Prompt);
        var request = new DecodeBench.Request(prompt, null, new GenerationOptions { MaxNewTokens = options.Tokens, Seed = 7 });
        var (rates, _) = bench.Inference.RunAsync(() => DecodeBench.Run(llm, [request], batched: true, options.Reps), CancellationToken.None).Result;
        // Before caching: every token recomputed the whole window (the reference path), on the same request.
        var uncached = bench.Inference.RunAsync(() =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            ReferenceGenerator.Generate(llm.Model, prompt, request.Options);
            return options.Tokens / System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        }, CancellationToken.None).Result;
        var peer = PyTorchPeer.Run(bench.Checkpoints.DirOf(bench.LlmSha), prompt, options.Tokens, bench.Threads, options.Reps);
        var bandwidth = MemoryBandwidth.ReadBytesPerSecond();
        var matvecBandwidth = bench.Inference.RunAsync(() => MemoryBandwidth.MatvecBytesPerSecond(llm.Model), CancellationToken.None).Result;
        var weightBytes = ModelMemory.Bytes(llm.Model);
        double ours = Median(rates), theirs = Median(peer.TokensPerSecond), bound = bandwidth / weightBytes;
        llmAloneTokensPerSecond = ours;
        return
        [
            $"serving-decode-detail: prompt={prompt.Length} tokens={options.Tokens} weights={weightBytes / 1e6:F1} MB read_bandwidth={bandwidth / 1e9:F2} GB/s pytorch_prefill_ms={Median(peer.PrefillMs):F1} ours_of_bound={ours / bound:P0} matvec_bandwidth={matvecBandwidth / 1e9:F2} GB/s (libtorch x@Wᵀ over every matrix of the LLM, nothing else) matvec_floor_tok_s={matvecBandwidth / weightBytes:F1} uncached_tok_s={uncached:F1} (every token recomputing the window, as before caching)",
            $"serving-decode: device=cpu threads={bench.Threads} llm_alone_tok_s={ours:F1} pytorch_llm_alone_tok_s={theirs:F1} ratio={ours / theirs:F2} vs pytorch-eager bound_tok_s={bound:F1}",
        ];
    }
}
