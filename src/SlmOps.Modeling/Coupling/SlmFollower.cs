using SlmOps.Modeling.Models;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Coupling;

/// <summary>
/// The trainable part of an LLM+SLM pair: the SLM and, in hidden mode, the projection of the LLM's
/// hidden states into the SLM's residual stream. Its parameters are exactly what the optimizer gets
/// and what an SLM checkpoint holds.
/// </summary>
public sealed class SlmFollower : torch.nn.Module
{
    private readonly Linear? _hiddenProjection;

    public SlmFollower(LanguageModel slm, CouplingOptions options, int llmWidth) : base(nameof(SlmFollower))
    {
        Slm = slm;
        Options = options;
        LlmWidth = llmWidth;
        register_module("slm", slm);
        if (options.Mode == CouplingMode.Hidden)
        {
            _hiddenProjection = new Linear(llmWidth, slm.Config.Width);
            register_module("llm_proj", _hiddenProjection);
        }
    }

    public LanguageModel Slm { get; }
    /// <summary>Changes only when a pooled follower is refilled with another version (same module tree).</summary>
    public CouplingOptions Options { get; internal set; }
    /// <summary>Residual width of the LLM it follows (sizes the hidden-mode projection).</summary>
    public int LlmWidth { get; }

    /// <summary>
    /// The pair's next-token logits (B, t, V) for ids (B, t). Tokens: the SLM's logits over tokens drawn from
    /// the LLM. Logits: LLM logits + SLM output. Hidden: LLM logits + SLM output, where the SLM's residual
    /// stream starts from its embedding plus the projected LLM hidden states.
    /// </summary>
    public Tensor Logits(FrozenLlm llm, Tensor ids)
    {
        var (llmLogits, hidden) = Options.Mode == CouplingMode.Hidden ? llm.Run(ids) : (llm.Logits(ids), null);
        using (llmLogits)
        using (hidden)
        {
            if (Options.Mode != CouplingMode.Tokens) return Compose(ids, llmLogits, hidden, rows: null, lastOnly: false);
            using var drawn = DrawTokens(llmLogits);
            return Compose(drawn, llmLogits, hidden, rows: null, lastOnly: false);
        }
    }

    /// <summary>
    /// Tokens mode's evaluation loss: the pair predicts the average of the SLM's distributions over the LLM's draws, so
    /// the loss of target y is -log((1/K) Σ_k p_k(y)), averaged over positions, with K = <paramref name="draws"/>
    /// independent draws of every position (computed as a log-mean-exp of the draws' log-probabilities). One draw is
    /// the K = 1 case; by Jensen's inequality the K-draw loss never exceeds the mean of its draws' one-draw losses.
    /// </summary>
    public Tensor TokensLossOverDraws(FrozenLlm llm, Tensor ids, Tensor targets, int draws)
    {
        if (Options.Mode != CouplingMode.Tokens) throw new InvalidOperationException($"Only tokens mode draws; this follower is in {Options.Mode} mode.");
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), $"Evaluation needs at least one draw, got {draws}.");
        using var llmLogits = llm.Logits(ids);
        using var index = targets.unsqueeze(-1);
        var perDraw = new List<Tensor>(draws);
        try
        {
            for (var k = 0; k < draws; k++)
            {
                using var drawn = DrawTokens(llmLogits);
                using var logits = Compose(drawn, llmLogits, null, rows: null, lastOnly: false);
                using var f32 = logits.dtype == ScalarType.Float32 ? logits.alias() : logits.to(ScalarType.Float32);
                using var logProbs = f32.log_softmax(-1);
                using var picked = logProbs.gather(-1, index);
                perDraw.Add(picked.squeeze(-1));
            }
            using var stacked = torch.stack(perDraw, 0);               // (K, B, t)
            var (peak, peakIndex) = stacked.max(0, keepdim: true);
            using (peak)
            using (peakIndex)
            using (var shifted = stacked - peak)
            using (var probs = shifted.exp())
            using (var mean = probs.mean(0, keepdim: true))
            using (var logMean = mean.log())
            using (var total = logMean + peak)
            using (var perPosition = total.mean())
                return -perPosition;
        }
        finally { foreach (var t in perDraw) t.Dispose(); }
    }

    /// <summary>
    /// The pair's logits given the LLM's outputs at the same positions: what every coupling mode adds to the LLM, in
    /// one place for training, the uncached reference and cached decoding.
    /// </summary>
    /// <param name="slmIds">(B, n) what the SLM reads: the drawn tokens in tokens mode, the ids otherwise.</param>
    /// <param name="llmLogits">(B, n, V), or (B, 1, V) for the last position when <paramref name="lastOnly"/>; unused in tokens mode.</param>
    /// <param name="llmHidden">(B, n, E_llm); hidden mode only.</param>
    /// <param name="rows">The SLM's cache rows for these positions, or null for a whole window from position 0.</param>
    /// <param name="lastOnly">Only the last position's logits (B, 1, V): what sampling needs, at a fraction of the head's cost.</param>
    public Tensor Compose(Tensor slmIds, Tensor llmLogits, Tensor? llmHidden, CachedRows? rows, bool lastOnly)
    {
        using var embedded = rows is null ? Slm.Embed(slmIds) : Slm.Embed(slmIds, rows);
        using var x = Options.Mode == CouplingMode.Hidden ? AddProjected(embedded, llmHidden!) : embedded.alias();
        using var h = rows is null ? Slm.RunBlocks(x) : Slm.RunBlocks(x, rows);
        using var read = lastOnly ? Last(h) : h.alias();
        var correction = Slm.Head(read);
        if (Options.Mode == CouplingMode.Tokens) return correction;
        using (correction)
        using (var base_ = lastOnly ? Last(llmLogits) : llmLogits.alias())
            return base_ + correction;
    }

    private Tensor AddProjected(Tensor embedded, Tensor llmHidden)
    {
        using var projected = _hiddenProjection!.forward(llmHidden);
        return embedded + projected;
    }

    private static Tensor Last(Tensor x)
    {
        var t = x.shape[1];
        return x.slice(1, t - 1, t);
    }

    /// <summary>One token per position from the LLM's distribution (or its argmax), as the paper feeds the SLM.</summary>
    public Tensor DrawTokens(Tensor llmLogits)
    {
        using var _ = torch.no_grad();
        if (Options.Argmax) return llmLogits.argmax(-1);
        long b = llmLogits.shape[0], t = llmLogits.shape[1], v = llmLogits.shape[2];
        using var scaled = Options.Temperature == 1.0 ? llmLogits.alias() : llmLogits / Options.Temperature;
        using var probs = scaled.softmax(-1);
        using var flat = probs.reshape(b * t, v);
        using var drawn = torch.multinomial(flat, 1);
        return drawn.reshape(b, t);
    }
}
