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
        register_module("slm", slm);
        if (options.Mode == CouplingMode.Hidden)
        {
            _hiddenProjection = new Linear(llmWidth, slm.Config.Width);
            register_module("llm_proj", _hiddenProjection);
        }
    }

    public LanguageModel Slm { get; }
    public CouplingOptions Options { get; }

    /// <summary>
    /// The pair's next-token logits (B, t, V) for ids (B, t). Tokens: the SLM's logits over tokens drawn from
    /// the LLM. Logits: LLM logits + SLM output. Hidden: LLM logits + SLM output, where the SLM's residual
    /// stream starts from its embedding plus the projected LLM hidden states.
    /// </summary>
    public Tensor Logits(FrozenLlm llm, Tensor ids)
    {
        switch (Options.Mode)
        {
            case CouplingMode.Tokens:
            {
                using var llmLogits = llm.Logits(ids);
                using var drawn = DrawTokens(llmLogits);
                return Slm.forward(drawn);
            }
            case CouplingMode.Logits:
            {
                using var llmLogits = llm.Logits(ids);
                using var correction = Slm.forward(ids);
                return llmLogits + correction;
            }
            case CouplingMode.Hidden:
            {
                var (llmLogits, hidden) = llm.Run(ids);
                using (llmLogits)
                using (hidden)
                using (var projected = _hiddenProjection!.forward(hidden))
                using (var embedded = Slm.Embed(ids))
                using (var x = embedded + projected)
                using (var h = Slm.RunBlocks(x))
                using (var correction = Slm.Head(h))
                    return llmLogits + correction;
            }
            default:
                throw new InvalidOperationException($"Unknown coupling mode {Options.Mode}.");
        }
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
