using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Peft;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Models;

/// <summary>Pre-LN block: x += Attn(LN1(x)); x += MLP(LN2(x)) with a GELU MLP.</summary>
public sealed class GptBlock : torch.nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm _ln1;
    private readonly CausalSelfAttention _attn;
    private readonly LayerNorm _ln2;
    private readonly Linear _fc;
    private readonly Linear _proj;
    private readonly double _dropout;

    public GptBlock(int width, int heads, int mlpRatio, double dropout) : base(nameof(GptBlock))
    {
        _dropout = dropout;
        _ln1 = new LayerNorm([width]);
        _attn = new CausalSelfAttention(width, heads, dropout);
        _ln2 = new LayerNorm([width]);
        _fc = new Linear(width, (long)mlpRatio * width);
        _proj = new Linear((long)mlpRatio * width, width);
        register_module("ln1", _ln1);
        register_module("attn", _attn);
        register_module("ln2", _ln2);
        register_module("fc", _fc);
        register_module("proj", _proj);
    }

    public override Tensor forward(Tensor x) => forward(x, null, 0);

    /// <summary>The block over new positions only, through <paramref name="rows"/>' cache of this <paramref name="layer"/> (uncached when null).</summary>
    public Tensor forward(Tensor x, CachedRows? rows, int layer)
    {
        using var n1 = _ln1.forward(x);
        using var attended = _attn.forward(n1, rows, layer);
        using var a = SublayerAdapters.After(this, Sublayer.Mixing, attended);
        using var ad = torch.nn.functional.dropout(a, _dropout, training);
        using var x1 = x + ad;
        using var n2 = _ln2.forward(x1);
        using var up = LinearAdapters.Forward(_fc, n2);
        using var act = torch.nn.functional.gelu(up);
        using var mlp = LinearAdapters.Forward(_proj, act);
        using var down = SublayerAdapters.After(this, Sublayer.Mlp, mlp);
        using var dd = torch.nn.functional.dropout(down, _dropout, training);
        return x1 + dd;
    }
}
