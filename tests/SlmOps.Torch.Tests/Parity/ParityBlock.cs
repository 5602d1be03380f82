using SlmOps.Torch.Modules;
using static SlmOps.Torch.torch.nn.functional;

namespace SlmOps.Torch.Tests.Parity;

/// <summary>
/// The oracle's pre-LN causal self-attention block, built from the library's modules:
/// LN -> fused QKV linear -> multi-head causal SDPA -> proj -> residual -> LN -> GELU MLP -> residual.
/// </summary>
public sealed class ParityBlock : torch.nn.Module<Tensor, Tensor>
{
    /// <summary>Oracle input name -> this module's state-dict key.</summary>
    public static readonly IReadOnlyDictionary<string, string> ParameterNames = new Dictionary<string, string>
    {
        ["ln1_w"] = "ln1.weight", ["ln1_b"] = "ln1.bias", ["qkv_w"] = "qkv.weight", ["qkv_b"] = "qkv.bias",
        ["proj_w"] = "proj.weight", ["proj_b"] = "proj.bias", ["ln2_w"] = "ln2.weight", ["ln2_b"] = "ln2.bias",
        ["fc_w"] = "fc.weight", ["fc_b"] = "fc.bias", ["fc2_w"] = "fc2.weight", ["fc2_b"] = "fc2.bias",
    };

    private readonly LayerNorm _ln1 = torch.nn.LayerNorm(16);
    private readonly Linear _qkv = torch.nn.Linear(16, 48);
    private readonly Linear _proj = torch.nn.Linear(16, 16);
    private readonly LayerNorm _ln2 = torch.nn.LayerNorm(16);
    private readonly Linear _fc = torch.nn.Linear(16, 64);
    private readonly Linear _fc2 = torch.nn.Linear(64, 16);
    private const long Heads = 2;

    public ParityBlock() : base(nameof(ParityBlock))
    {
        register_module("ln1", _ln1);
        register_module("qkv", _qkv);
        register_module("proj", _proj);
        register_module("ln2", _ln2);
        register_module("fc", _fc);
        register_module("fc2", _fc2);
    }

    /// <summary>A block holding the oracle's weights.</summary>
    public static ParityBlock FromInputs(IReadOnlyDictionary<string, Tensor> inputs)
    {
        var block = new ParityBlock();
        block.load_state_dict(ParameterNames.ToDictionary(kv => kv.Value, kv => inputs[kv.Key]));
        return block;
    }

    public override Tensor forward(Tensor x)
    {
        var (b, t, c) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = _qkv.call(_ln1.call(x));
        Tensor Head(long i) => qkv.narrow(2, i * c, c).reshape(b, t, Heads, c / Heads).transpose(1, 2);
        var y = scaled_dot_product_attention(Head(0), Head(1), Head(2), is_causal: true);
        x = x + _proj.call(y.transpose(1, 2).contiguous().reshape(b, t, c));
        return x + _fc2.call(gelu(_fc.call(_ln2.call(x))));
    }
}
