using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using static SlmOps.Benchmarks.Serving.Stats;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// serving-batch: 8 requests over 4 SLM versions of the same LLM (two each, tokens coupling, prompts of different
/// lengths, own seeds, --tokens new tokens each) decoded together by one BatchDecoder, vs the same 8 one at a time on
/// the same decoder. Both must produce the same tokens (per-request seeds); the rate is tokens over wall time.
/// </summary>
internal static class BatchSection
{
    public const int Requests = 8;
    public const int Versions = 4;

    public static List<string> Run(Bench bench)
    {
        var followers = Enumerable.Range(0, Versions)
            .Select(i => ModelCheckpoint.LoadFollower(bench.Checkpoints.DirOf(bench.SlmShas[i]), bench.Resident.Llm, bench.Resident.Tokenizer.Hash))
            .ToList();
        try
        {
            var prompt = bench.Encode(Bench.Prompt);
            var requests = Enumerable.Range(0, Requests).Select(i => new DecodeBench.Request(
                prompt[..(prompt.Length - 3 * i)], followers[i % Versions],
                new GenerationOptions { MaxNewTokens = bench.Options.Tokens, Seed = (ulong)(i + 1) })).ToList();
            var (batched, batchedTokens, sequential, sequentialTokens) = bench.Inference.RunAsync(() =>
            {
                var b = DecodeBench.Run(bench.Resident.Llm, requests, batched: true, bench.Options.Reps);
                var s = DecodeBench.Run(bench.Resident.Llm, requests, batched: false, bench.Options.Reps);
                return (b.TokensPerSecond, b.Tokens, s.TokensPerSecond, s.Tokens);
            }, CancellationToken.None).Result;
            var same = batchedTokens.Zip(sequentialTokens).All(p => p.First.SequenceEqual(p.Second));
            if (!same) throw new InvalidOperationException("Batched and one-at-a-time decoding gave different tokens for the same seeds.");
            double b = Median(batched), s = Median(sequential);
            return [$"serving-batch: device=cpu threads={bench.Threads} requests={Requests} slm_versions={Versions} batched_tok_s={b:F1} sequential_tok_s={s:F1} ratio={b / s:F2} vs one-at-a-time"];
        }
        finally
        {
            foreach (var f in followers) f.Dispose();
        }
    }
}
