using SlmOps.Modeling.Data;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// Samples on the CPU with a per-request SplitMix64 rather than libtorch's process-global generator,
/// so concurrent requests cannot perturb each other's results.
/// </summary>
internal sealed class TokenSampler(GenerationOptions options)
{
    private SplitMix64 _rng = new(options.Seed);

    /// <summary>Picks a token from one row of logits.</summary>
    public int Sample(ReadOnlySpan<float> logits)
    {
        if (options.Temperature <= 0) return ArgMax(logits);
        var order = Enumerable.Range(0, logits.Length).ToArray();
        var keys = logits.ToArray();
        var k = Math.Clamp(options.TopK ?? logits.Length, 1, logits.Length);
        var nucleus = options.TopP is { } p && p < 1;
        if (k < logits.Length || nucleus)
        {
            // Descending by logit, ties by lower id, so the kept set is well defined.
            Array.Sort(order, (a, b) => keys[b] != keys[a] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
            order = order[..k];
        }
        var max = order.Max(i => keys[i]);
        var weights = order.Select(i => Math.Exp((keys[i] - max) / options.Temperature)).ToArray();
        if (nucleus)
        {
            // order is sorted by probability: keep the shortest prefix whose share reaches top_p (at least one token).
            var total = weights.Sum();
            var kept = 0;
            for (double share = 0; kept < weights.Length && share < options.TopP!.Value * total; kept++) share += weights[kept];
            order = order[..Math.Max(1, kept)];
            weights = weights[..order.Length];
        }
        var u = _rng.NextDouble() * weights.Sum();
        for (var j = 0; j < order.Length; j++)
        {
            u -= weights[j];
            if (u < 0) return order[j];
        }
        return order[^1];
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
