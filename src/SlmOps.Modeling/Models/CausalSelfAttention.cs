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

    public override Tensor forward(Tensor x) => forward(x, null, 0);

    /// <summary>
    /// Attention of new positions only when <paramref name="rows"/> is given: their keys and values are appended to the
    /// cache (parts 0 and 1 of <paramref name="layer"/>) and the queries attend to everything cached up to themselves.
    /// </summary>
    public Tensor forward(Tensor x, CachedRows? rows, int layer)
    {
        long b = x.shape[0], t = x.shape[1], e = x.shape[2];
        var d = e / _heads;
        using var qkv = LinearAdapters.Forward(_qkv, x);
        using var q = SplitHeads(qkv.slice(2, 0, e), b, t, d);
        using var y = rows is null ? Attend(qkv, q, b, t, d) : AttendCached(qkv, q, rows, layer, d);
        using var merged = y.transpose(1, 2);
        using var flat = merged.reshape(b, t, e);
        return LinearAdapters.Forward(_proj, flat);
    }

    private Tensor Attend(Tensor qkv, Tensor q, long b, long t, long d)
    {
        var e = _heads * d;
        using var k = SplitHeads(qkv.slice(2, e, 2 * e), b, t, d);
        using var v = SplitHeads(qkv.slice(2, 2 * e, 3 * e), b, t, d);
        return torch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p: training ? _dropout : 0.0, is_causal: true);
    }

    private Tensor AttendCached(Tensor qkv, Tensor q, CachedRows rows, int layer, long d)
    {
        var e = _heads * d;
        using (var newKeys = qkv.slice(2, e, 2 * e)) rows.Write(layer, 0, newKeys);
        using (var newValues = qkv.slice(2, 2 * e, 3 * e)) rows.Write(layer, 1, newValues);
        using var k = SplitHeads(rows.Read(layer, 0), rows.Count, rows.Length, d);
        using var v = SplitHeads(rows.Read(layer, 1), rows.Count, rows.Length, d);
        using var mask = rows.Visible.unsqueeze(1);
        return torch.nn.functional.scaled_dot_product_attention(q, k, v, mask);
    }

    private Tensor SplitHeads(Tensor part, long b, long t, long d)
    {
        using (part)
        using (var split = part.reshape(b, t, _heads, d))
            return split.transpose(1, 2);
    }
}
