using SlmOps.Modeling.Architectures;
using SlmOps.Torch;

namespace SlmOps.Modeling.Models;

/// <summary>
/// A causal language model split into the three stages the coupling modes need to reach into:
/// <see cref="Embed"/> (ids → residual stream), <see cref="RunBlocks"/>, and <see cref="Head"/>
/// (residual stream → logits). <c>forward(ids)</c> composes them: (B, t) int64 → (B, t, V) logits,
/// for any t ≤ BlockSize.
/// </summary>
public abstract class LanguageModel : torch.nn.Module<Tensor, Tensor>
{
    protected LanguageModel(string name, ModelConfig config) : base(name)
    {
        config.Validate();
        Config = config;
    }

    public ModelConfig Config { get; }

    /// <summary>(B, t) token ids → (B, t, E) residual stream, read at window positions
    /// [<paramref name="positionOffset"/>, <paramref name="positionOffset"/> + t) (a prefix holds the positions before).</summary>
    public abstract Tensor Embed(Tensor ids, int positionOffset = 0);

    /// <summary>How many blocks <see cref="RunBlocks(Tensor, int?)"/> runs.</summary>
    public abstract int BlockCount { get; }

    /// <summary>Block <paramref name="index"/> (what sublayer adapters attach to).</summary>
    public abstract torch.nn.Module<Tensor, Tensor> Block(int index);

    /// <summary>Runs blocks [0, count) (all when null) over a (B, t, E) residual stream.</summary>
    public abstract Tensor RunBlocks(Tensor x, int? count = null);

    /// <summary>(B, t, E) → (B, t, V): final LayerNorm and output projection.</summary>
    public abstract Tensor Head(Tensor x);

    /// <summary>(B, n) token ids at <paramref name="rows"/>' new positions → (B, n, E) residual stream.</summary>
    public abstract Tensor Embed(Tensor ids, CachedRows rows);

    /// <summary>
    /// Runs every block over the new positions of <paramref name="rows"/> only, reading earlier positions from their
    /// cache (one made by <see cref="CreateDecodeCache"/>) and appending the new ones to it. For a row whose window
    /// holds positions [0, p) and gets [p, p + n), the result equals positions p..p+n-1 of <see cref="RunBlocks(Tensor, int?)"/>
    /// over the whole window [0, p + n).
    /// </summary>
    public abstract Tensor RunBlocks(Tensor x, CachedRows rows);

    /// <summary>
    /// Block <paramref name="index"/> alone over the new positions of <paramref name="rows"/>, through (and into) that
    /// layer's cache only: how a prefix, whose every layer has an input of its own, is written into a decode cache.
    /// </summary>
    public abstract Tensor RunBlock(int index, Tensor x, CachedRows rows);

    /// <summary>A cache for decoding up to <paramref name="window"/> positions (default: the model's whole window) per slot.</summary>
    public DecodeCache CreateDecodeCache(int? window = null, int slots = 1)
    {
        var w = window ?? Config.BlockSize;
        if (w < 1 || w > Config.BlockSize) throw new ArgumentOutOfRangeException(nameof(window), $"{GetName} reads windows of 1..{Config.BlockSize} tokens, not {w}.");
        var first = parameters().First();
        return new DecodeCache(Config.Layers, w, Config.Width, first.device, first.dtype, slots);
    }

    /// <summary>Called by trainers after each optimizer step, for invariants the optimizer cannot keep.</summary>
    public virtual void AfterOptimizerStep() { }

    public override Tensor forward(Tensor ids)
    {
        using var x = Embed(ids);
        using var h = RunBlocks(x);
        return Head(h);
    }

    /// <summary>Logits and the final residual stream (before the head), for "hidden" coupling.</summary>
    public (Tensor Logits, Tensor Hidden) ForwardWithHidden(Tensor ids)
    {
        using var x = Embed(ids);
        var h = RunBlocks(x);
        return (Head(h), h);
    }

    protected void CheckWindow(Tensor ids, CachedRows rows)
    {
        if (ids.dim() != 2 || ids.shape[0] != rows.Count || ids.shape[1] != rows.NewPositions)
            throw new ArgumentException($"{GetName} expects token ids of shape ({rows.Count}, {rows.NewPositions}) for these rows, got [{string.Join(", ", ids.shape)}].");
        if (rows.Length > Config.BlockSize)
            throw new ArgumentException($"{GetName} reads windows of 1..{Config.BlockSize} tokens; these rows reach {rows.Length}.");
    }

    protected void CheckWindow(Tensor ids, int positionOffset = 0)
    {
        if (ids.dim() != 2) throw new ArgumentException($"{GetName} expects token ids of shape (B, t), got [{string.Join(", ", ids.shape)}].");
        var t = ids.shape[1];
        if (positionOffset < 0 || t < 1 || positionOffset + t > Config.BlockSize)
            throw new ArgumentException($"{GetName} reads windows of 1..{Config.BlockSize - Math.Max(0, positionOffset)} tokens after {positionOffset} prefix positions, got {t}.");
    }
}
