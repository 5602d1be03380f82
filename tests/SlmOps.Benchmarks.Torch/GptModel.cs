using SlmOps.Torch;
using SlmOps.Torch.Modules;
using static SlmOps.Torch.torch.nn.functional;

namespace SlmOps.Benchmarks.Torch;

/// <summary>The benchmark model's shape. Field names match python/bench_gpt.py's module names.</summary>
public sealed record GptConfig(long Vocab, long Context, long Dim, int Layers, int Heads)
{
    public static GptConfig Benchmark { get; } = new(1092, 128, 256, 4, 4);
}

/// <summary>Causal multi-head self-attention with a fused QKV projection.</summary>
public sealed class CausalSelfAttention : torch.nn.Module<Tensor, Tensor>
{
    private readonly Linear _qkv;
    private readonly Linear _proj;
    private readonly long _heads;

    public CausalSelfAttention(GptConfig c) : base(nameof(CausalSelfAttention))
    {
        _heads = c.Heads;
        _qkv = torch.nn.Linear(c.Dim, 3 * c.Dim);
        _proj = torch.nn.Linear(c.Dim, c.Dim);
        register_module("qkv", _qkv);
        register_module("proj", _proj);
    }

    public override Tensor forward(Tensor x)
    {
        var (b, t, c) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = _qkv.call(x);
        Tensor Head(long i) => qkv.narrow(2, i * c, c).reshape(b, t, _heads, c / _heads).transpose(1, 2);
        var y = scaled_dot_product_attention(Head(0), Head(1), Head(2), is_causal: true);
        return _proj.call(y.transpose(1, 2).contiguous().reshape(b, t, c));
    }
}

public sealed class Mlp : torch.nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Linear _proj;

    public Mlp(GptConfig c) : base(nameof(Mlp))
    {
        _fc = torch.nn.Linear(c.Dim, 4 * c.Dim);
        _proj = torch.nn.Linear(4 * c.Dim, c.Dim);
        register_module("fc", _fc);
        register_module("proj", _proj);
    }

    public override Tensor forward(Tensor x) => _proj.call(gelu(_fc.call(x)));
}

/// <summary>Pre-LayerNorm block: x + attn(ln1(x)), then + mlp(ln2(x)).</summary>
public sealed class Block : torch.nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm _ln1;
    private readonly CausalSelfAttention _attn;
    private readonly LayerNorm _ln2;
    private readonly Mlp _mlp;

    public Block(GptConfig c) : base(nameof(Block))
    {
        _ln1 = torch.nn.LayerNorm(c.Dim);
        _attn = new CausalSelfAttention(c);
        _ln2 = torch.nn.LayerNorm(c.Dim);
        _mlp = new Mlp(c);
        register_module("ln1", _ln1);
        register_module("attn", _attn);
        register_module("ln2", _ln2);
        register_module("mlp", _mlp);
    }

    public override Tensor forward(Tensor x)
    {
        x = x + _attn.call(_ln1.call(x));
        return x + _mlp.call(_ln2.call(x));
    }
}

public sealed class Gpt : torch.nn.Module<Tensor, Tensor>
{
    private readonly Embedding _tokEmb;
    private readonly Embedding _posEmb;
    private readonly ModuleList<Block> _blocks;
    private readonly LayerNorm _lnF;
    private readonly Linear _head;

    public Gpt(GptConfig c) : base(nameof(Gpt))
    {
        Config = c;
        _tokEmb = torch.nn.Embedding(c.Vocab, c.Dim);
        _posEmb = torch.nn.Embedding(c.Context, c.Dim);
        _blocks = torch.nn.ModuleList(Enumerable.Range(0, c.Layers).Select(_ => new Block(c)).ToArray());
        _lnF = torch.nn.LayerNorm(c.Dim);
        _head = torch.nn.Linear(c.Dim, c.Vocab, hasBias: false);
        register_module("tok_emb", _tokEmb);
        register_module("pos_emb", _posEmb);
        register_module("blocks", _blocks);
        register_module("ln_f", _lnF);
        register_module("head", _head);
    }

    public GptConfig Config { get; }

    /// <summary>Parameters that multiply activations (everything but the two lookup tables).</summary>
    public long MatmulParameterCount => parameter_count() - _tokEmb.weight.numel() - _posEmb.weight.numel();

    public override Tensor forward(Tensor idx)
    {
        var t = idx.shape[1];
        using var positions = torch.arange(0, t, device: idx.device);
        var x = _tokEmb.call(idx) + _posEmb.call(positions);
        foreach (var block in _blocks)
        {
            x = block.call(x);
        }
        return _head.call(_lnF.call(x));
    }
}
