using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Torch;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// A prefix (prefix tuning) as cached decoding holds it. The prefix occupies window positions 0..P-1 of every sequence,
/// and what each layer's cache keeps of those positions (gpt: their keys and values; fft: the mixing's inputs and M1·h
/// rows, which by the lower triangle depend only on positions ≤ P-1) is the same for every sequence: it is computed once,
/// here, block by block from that layer's own prefix vectors, and copied into each sequence's slot before its prompt,
/// which then starts at window position P. A sequence past its cache reads whole windows through
/// <see cref="PrefixSet.Hidden"/>, exactly as training read them.
/// </summary>
internal sealed class DecodePrefix : IDisposable
{
    private readonly LanguageModel _llm;
    private readonly PrefixSet _prefix;
    private readonly DecodeCache _template;

    public DecodePrefix(LanguageModel llm, PrefixSet prefix)
    {
        var config = prefix.Config;
        if (config.Layers != llm.BlockCount || config.Width != llm.Config.Width)
            throw new ArgumentException($"A prefix of {config.Layers} layers x {config.Width} does not fit an LLM of {llm.BlockCount} blocks x {llm.Config.Width}.", nameof(prefix));
        PrefixSet.Validate(llm.Config.BlockSize, prefix.Length);
        _llm = llm;
        _prefix = prefix;
        _template = llm.CreateDecodeCache(prefix.Length);
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        using var rows = new CachedRows(_template, 0, [0], prefix.Length);
        for (var i = 0; i < llm.BlockCount; i++)
        {
            using var vectors = prefix.Layer(i).unsqueeze(0);
            llm.RunBlock(i, vectors, rows).Dispose(); // the block's outputs at prefix positions are never read
        }
    }

    /// <summary>P: window positions the prefix holds before the text.</summary>
    public int Length => _prefix.Length;

    public long Bytes => _template.Bytes;

    /// <summary>Writes the prefix positions into <paramref name="slot"/> of <paramref name="cache"/> (the LLM's).</summary>
    public void CopyInto(DecodeCache cache, int slot) => cache.CopySlot(_template, 0, slot, Length);

    /// <summary>(B, t, E) final residual stream of the text read whole after the prefix, with no cache.</summary>
    public Tensor Hidden(Tensor ids) => _prefix.Hidden(_llm, ids);

    public void Dispose() => _template.Dispose();
}
