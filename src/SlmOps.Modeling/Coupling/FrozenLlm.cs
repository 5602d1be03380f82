using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Coupling;

/// <summary>
/// The shared LLM as every follower sees it: eval mode, no parameter requires grad, every call under
/// no_grad, and a weights hash taken on arrival that <see cref="VerifyUnchanged"/> re-checks.
/// </summary>
/// <remarks>
/// The hash is taken eagerly, on arrival, on purpose: it is the "before" of <see cref="VerifyUnchanged"/> (a lazy one
/// could be first taken after a code path already wrote to the weights) and the identity every follower is checked
/// against on load (<c>BaseModelWeightsSha256</c>). It is a hash of values, not of the file (the registry's sha256 of
/// model.safetensors is checked separately while loading), so a follower matches its LLM whatever file layout or dtype
/// the LLM was stored in. Its cost is one sha256 pass over the float32 weights (<see cref="WeightsHash"/>).
/// </remarks>
public sealed class FrozenLlm : IDisposable
{
    public FrozenLlm(LanguageModel model)
    {
        Model = model;
        Model.eval();
        foreach (var p in Model.parameters()) p.requires_grad = false;
        WeightsSha256 = WeightsHash.Of(Model);
    }

    public LanguageModel Model { get; }
    public string WeightsSha256 { get; }
    public int BlockSize => Model.Config.BlockSize;

    /// <summary>Logits (B, t, V) and final hidden states (B, t, E), with no autograd history.</summary>
    public (Tensor Logits, Tensor Hidden) Run(Tensor ids)
    {
        using var _ = torch.no_grad();
        return Model.ForwardWithHidden(ids);
    }

    /// <summary>The final hidden states (B, n, E) of new positions through a decode cache (see <see cref="LanguageModel.RunBlocks(Tensor, CachedRows)"/>).</summary>
    public Tensor Hidden(Tensor ids, CachedRows rows)
    {
        using var _ = torch.no_grad();
        using var x = Model.Embed(ids, rows);
        return Model.RunBlocks(x, rows);
    }

    public Tensor Logits(Tensor ids)
    {
        using var _ = torch.no_grad();
        return Model.forward(ids);
    }

    public void VerifyUnchanged()
    {
        var now = WeightsHash.Of(Model);
        if (now != WeightsSha256)
            throw new InvalidOperationException($"The frozen LLM's weights changed (sha256 {WeightsSha256} -> {now}); a code path wrote to them.");
    }

    public void Dispose() => Model.Dispose();
}
