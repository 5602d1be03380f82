using System.Diagnostics;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// Decoding straight through the model API (no HTTP, no queue), on a long-lived <see cref="BatchDecoder"/> as a
/// serving host holds one: tokens per second from the prompt to the last token (prefill included).
/// </summary>
internal static class DecodeBench
{
    public sealed record Request(int[] Prompt, SlmFollower? Follower, GenerationOptions Options);

    /// <summary>Each rep decodes <paramref name="requests"/> together (batched) or one after another; tokens/s of the whole rep.</summary>
    public static (List<double> TokensPerSecond, List<int[]> Tokens) Run(FrozenLlm llm, IReadOnlyList<Request> requests, bool batched, int reps)
    {
        using var decoder = new BatchDecoder(llm);
        List<int[]> tokens = [];
        Decode(decoder, requests, batched); // warm-up: caches allocated, kernels' first calls
        var rates = new List<double>();
        for (var r = 0; r < reps; r++)
        {
            var started = Stopwatch.GetTimestamp();
            tokens = Decode(decoder, requests, batched);
            rates.Add(tokens.Sum(t => t.Length) / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return (rates, tokens);
    }

    private static List<int[]> Decode(BatchDecoder decoder, IReadOnlyList<Request> requests, bool batched)
    {
        if (!batched) return requests.SelectMany(r => Decode(decoder, [r], batched: true)).ToList();
        var sequences = requests.Select(r => decoder.Join(r.Prompt, r.Follower, r.Options)).ToList();
        while (decoder.Count > 0) decoder.Step();
        return sequences.Select(s => s.Generated.ToArray()).ToList();
    }
}
