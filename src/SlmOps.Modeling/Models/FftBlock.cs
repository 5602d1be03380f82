using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Peft;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Models;

/// <summary>
/// One fft block: h = LN1(x); h = h + Mix(h); h = LN2(h); out = h + W2(sin(W1 h)).
/// Note the sine MLP's residual is taken from the normalized h, as the paper writes it.
/// </summary>
public sealed class FftBlock : torch.nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm _ln1;
    private readonly CausalTimeMixing _mix;
    private readonly LayerNorm _ln2;
    private readonly Linear _w1;
    private readonly Linear _w2;

    public FftBlock(int width, int embeddingDim, int blockSize, bool initialize = true) : base(nameof(FftBlock))
    {
        _ln1 = new LayerNorm([width]);
        _mix = new CausalTimeMixing(blockSize, initialize);
        _ln2 = new LayerNorm([width]);
        _w1 = new Linear(width, embeddingDim);
        _w2 = new Linear(embeddingDim, width);
        register_module("ln1", _ln1);
        register_module("mix", _mix);
        register_module("ln2", _ln2);
        register_module("w1", _w1);
        register_module("w2", _w2);
    }

    public CausalTimeMixing Mixing => _mix;

    public override Tensor forward(Tensor x) => forward(x, null, 0);

    /// <summary>The block over new positions only, through <paramref name="rows"/>' cache of this <paramref name="layer"/> (uncached when null).</summary>
    public Tensor forward(Tensor x, CachedRows? rows, int layer)
    {
        using var h = _ln1.forward(x);
        using var mixing = rows is null ? _mix.forward(h) : _mix.forward(h, rows, layer);
        using var mixed = SublayerAdapters.After(this, Sublayer.Mixing, mixing);
        using var sum = h + mixed;
        using var h2 = _ln2.forward(sum);
        using var up = LinearAdapters.Forward(_w1, h2);
        using var wave = up.sin();
        using var mlp = LinearAdapters.Forward(_w2, wave);
        using var down = SublayerAdapters.After(this, Sublayer.Mlp, mlp);
        return h2 + down;
    }
}
