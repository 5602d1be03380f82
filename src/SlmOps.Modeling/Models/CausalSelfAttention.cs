using SlmOps.Modeling.Lora;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Models;

/// <summary>Multi-head causal self-attention with a fused QKV projection.</summary>
public sealed class CausalSelfAttention : torch.nn.Module<Tensor, Tensor>
{
    private readonly Linear _qkv;
    private readonly Linear _proj;
    private readonly int _heads;
    private readonly double _dropout;

    public CausalSelfAttention(int width, int heads, double dropout) : base(nameof(CausalSelfAttention))
    {
        _heads = heads;
        _dropout = dropout;
        _qkv = new Linear(width, 3L * width);
        _proj = new Linear(width, width);
        register_module("qkv", _qkv);
        register_module("proj", _proj);
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], e = x.shape[2];
        var d = e / _heads;
        using var qkv = LinearAdapters.Forward(_qkv, x);
        using var q = SplitHeads(qkv.slice(2, 0, e), b, t, d);
        using var k = SplitHeads(qkv.slice(2, e, 2 * e), b, t, d);
        using var v = SplitHeads(qkv.slice(2, 2 * e, 3 * e), b, t, d);
        using var y = torch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p: training ? _dropout : 0.0, is_causal: true);
        using var merged = y.transpose(1, 2);
        using var flat = merged.reshape(b, t, e);
        return LinearAdapters.Forward(_proj, flat);
    }

    private Tensor SplitHeads(Tensor part, long b, long t, long d)
    {
        using (part)
        using (var split = part.reshape(b, t, _heads, d))
            return split.transpose(1, 2);
    }
}
