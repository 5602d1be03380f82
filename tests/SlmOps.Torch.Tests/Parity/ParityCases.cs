using SlmOps.Torch.Tests.Support;
using F = SlmOps.Torch.torch.nn.functional;

namespace SlmOps.Torch.Tests.Parity;

/// <summary>One operation under test: inputs by name -> outputs; mirrored by name in Parity/oracle.py.</summary>
public sealed record ParityCase(string Name, Func<Func<string, Tensor>, Tensor[]> Run, Tolerance Tolerance);

/// <summary>
/// Every operation of the agreed SlmOps.Torch API, each written as the oracle writes it in PyTorch.
/// Tolerances: Exact for data movement, factories, seeded draws and integer/boolean results; Elementwise
/// (rtol 1e-5, atol 1e-6) for float32 pointwise math; Reduction (rtol 1e-4, atol 1e-5) for sums, matmul and all
/// gradients; Composite (rtol 2e-4, atol 2e-5) for the attention block and optimizer steps.
/// </summary>
public static class ParityCases
{
    private static readonly Tolerance Exact = Tolerance.Exact;
    private static readonly Tolerance Elem = Tolerance.Elementwise;
    private static readonly Tolerance Red = Tolerance.Reduction;

    private static ParityCase C(string name, Tolerance tol, Func<Func<string, Tensor>, Tensor> run) =>
        new(name, x => [run(x)], tol);

    private static ParityCase C2(string name, Tolerance tol, Func<Func<string, Tensor>, (Tensor, Tensor)> run) =>
        new(name, x => { var (a, b) = run(x); return [a, b]; }, tol);

    private static Tensor Seeded(long seed, Func<Tensor> draw)
    {
        torch.manual_seed(seed);
        return draw();
    }

    private static Tensor InPlace(Tensor t, Action<Tensor> op)
    {
        var c = t.clone();
        op(c);
        return c;
    }

    public static IReadOnlyList<ParityCase> All { get; } =
    [
        // conversions and copies
        C("to_bf16", Exact, x => x("a").to(ScalarType.BFloat16).to(ScalarType.Float32)),
        C("to_f16", Exact, x => x("a").to(ScalarType.Float16).to(ScalarType.Float32)),
        C("to_i64", Exact, x => (x("a") * 3).to(ScalarType.Int64)),
        C("to_cpu", Exact, x => x("a").to(Device.CPU) * 1.0),
        C("cpu", Exact, x => x("a").cpu() * 1.0),
        C("clone", Exact, x => x("a").clone()),
        C("detach", Exact, x => x("a").detach() * x("b")),
        C("contiguous", Exact, x => x("a").transpose(0, 1).contiguous()),
        // shape
        C("reshape", Exact, x => x("a").reshape(2, 6)),
        C("view", Exact, x => x("a").view(4, 3)),
        C("transpose", Exact, x => x("x3").transpose(0, 2)),
        C("permute", Exact, x => x("x3").permute(2, 0, 1)),
        C("slice", Exact, x => x("x3").slice(2, 1, 4, 2)),
        C("narrow", Exact, x => x("x3").narrow(1, 1, 2)),
        C("unsqueeze", Exact, x => x("a").unsqueeze(1)),
        C("squeeze", Exact, x => x("a").unsqueeze(0).squeeze(0)),
        C("expand", Exact, x => x("row").unsqueeze(0).expand(3, 4)),
        // arithmetic
        C("matmul", Red, x => x("a").matmul(x("c"))),
        C("matmul_batched", Red, x => torch.matmul(x("bm"), x("bm2"))),
        C("add", Elem, x => x("a") + x("b")),
        C("add_broadcast", Elem, x => x("a").add(x("row"))),
        C("sub", Elem, x => x("a").sub(x("b"))),
        C("mul", Elem, x => x("a").mul(x("b"))),
        C("div", Elem, x => x("a") / x("pos")),
        C("add_scalar", Elem, x => x("a") + 2.5),
        C("radd_scalar", Elem, x => 2.5 + x("a")),
        C("sub_scalar", Elem, x => x("a") - 1.5),
        C("rsub_scalar", Elem, x => 1.5 - x("a")),
        C("mul_scalar", Elem, x => x("a").mul(3.0)),
        C("rmul_scalar", Elem, x => 3.0 * x("a")),
        C("div_scalar", Elem, x => x("a").div(4.0)),
        C("rdiv_scalar", Elem, x => 2.0 / x("pos")),
        C("neg", Elem, x => -x("a")),
        C("pow", Elem, x => x("pos").pow(2.5)),
        C("sqrt", Elem, x => x("pos").sqrt()),
        C("rsqrt", Elem, x => x("pos").rsqrt()),
        C("exp", Elem, x => x("a").exp()),
        C("log", Elem, x => x("pos").log()),
        C("sin", Elem, x => x("a").sin()),
        C("cos", Elem, x => x("a").cos()),
        C("tanh", Elem, x => x("a").tanh()),
        C("relu", Elem, x => x("a").relu()),
        C("gelu", Elem, x => x("a").gelu()),
        C("sigmoid", Elem, x => x("a").sigmoid()),
        C("abs", Elem, x => x("a").abs()),
        // reductions
        C("sum", Red, x => x("a").sum()),
        C("sum_dim", Red, x => x("x3").sum(1)),
        C("sum_keepdim", Red, x => x("x3").sum(1, keepdim: true)),
        C("mean", Red, x => x("a").mean()),
        C("mean_dim", Red, x => x("x3").mean(2)),
        C("mean_keepdim", Red, x => x("x3").mean(0, keepdim: true)),
        C2("max_dim", Red, x => x("x3").max(1)),
        C2("min_dim", Red, x => x("x3").min(2)),
        C("var", Red, x => x("a").var()),
        C("argmax", Exact, x => x("x3").argmax(2)),
        C("argmax_keepdim", Exact, x => x("x3").argmax(1, keepdim: true)),
        C2("topk", Red, x => x("a").topk(2, 1)),
        C("softmax", Red, x => x("a").softmax(1)),
        C("log_softmax", Red, x => x("a").log_softmax(0)),
        // masking and indexing
        C("masked_fill", Exact, x => x("a").masked_fill(x("mask"), -1.5)),
        C("tril", Exact, x => x("a").tril()),
        C("tril_k1", Exact, x => x("a").tril(1)),
        C("triu", Exact, x => x("a").triu()),
        C("triu_km1", Exact, x => x("a").triu(-1)),
        C("index_select", Exact, x => x("a").index_select(1, x("idx"))),
        C("gather", Exact, x => x("a").gather(1, x("gidx"))),
        C("eq", Exact, x => x("r1").eq(x("r2"))),
        C("ne", Exact, x => x("r1").ne(x("r2"))),
        C("lt", Exact, x => x("r1").lt(x("r2"))),
        C("gt", Exact, x => x("r1").gt(x("r2"))),
        C("where", Exact, x => torch.where(x("mask"), x("a"), x("b"))),
        // in-place
        C("add_", Elem, x => InPlace(x("a"), t => t.add_(x("b")))),
        C("mul_", Elem, x => InPlace(x("a"), t => t.mul_(x("b")))),
        C("zero_", Elem, x => InPlace(x("a"), t => t.zero_()) + x("b")),
        C("fill_", Elem, x => InPlace(x("a"), t => t.fill_(2.0)) * x("b")),
        C("copy_", Elem, x => InPlace(x("a"), t => t.copy_(x("b") * 2.0))),
        // factories
        C("zeros", Exact, _ => torch.zeros([2, 3])),
        C("ones", Exact, _ => torch.ones([2, 3])),
        C("full", Exact, _ => torch.full([2, 3], 1.25)),
        C("arange", Exact, _ => torch.arange(0, 10, 3)),
        C("eye", Exact, _ => torch.eye(3)),
        C("zeros_like", Exact, x => torch.zeros_like(x("a"))),
        C("ones_like", Exact, x => torch.ones_like(x("a"))),
        C("tensor_f32", Exact, _ => torch.tensor([1.5f, -2.0f, 3.25f, 0.0f, 7.0f, -0.5f], [2, 3])),
        C("randn", Exact, _ => Seeded(42, () => torch.randn([3, 4]))),
        C("rand", Exact, _ => Seeded(43, () => torch.rand([3, 4]))),
        C("randint", Exact, _ => Seeded(44, () => torch.randint(0, 10, [3, 4]))),
        C("multinomial", Exact, x => Seeded(5, () => torch.multinomial(x("a").detach().softmax(1), 3, true))),
        C("multinomial_noreplace", Exact, x => Seeded(6, () => torch.multinomial(x("a").detach().softmax(1), 2, false))),
        C("cat", Exact, x => torch.cat([x("a"), x("b")], 0)),
        C("cat_dim1", Exact, x => torch.cat([x("a"), x("b")], 1)),
        C("stack", Exact, x => torch.stack([x("a"), x("b")], 1)),
        // nn.functional
        C("linear", Red, x => F.linear(x("a"), x("lin_w"), x("lin_b"))),
        C("linear_nobias", Red, x => F.linear(x("x3"), x("lin_w"))),
        C("layer_norm", Red, x => F.layer_norm(x("x3"), [4], x("ln_w"), x("ln_b"))),
        C("layer_norm_noaffine", Red, x => F.layer_norm(x("x3"), [4])),
        C("embedding", Exact, x => F.embedding(x("tokens"), x("emb_w"))),
        C("dropout", Exact, x => Seeded(3, () => F.dropout(x("a"), 0.3, true))),
        C("dropout_eval", Exact, x => F.dropout(x("a"), 0.3, false)),
        C("f_gelu", Elem, x => F.gelu(x("x3"))),
        C("f_relu", Elem, x => F.relu(x("x3"))),
        C("f_softmax", Red, x => F.softmax(x("x3"), 2)),
        C("f_log_softmax", Red, x => F.log_softmax(x("x3"), 1)),
        C("cross_entropy", Red, x => F.cross_entropy(x("logits"), x("target"))),
        C("cross_entropy_sum", Red, x => F.cross_entropy(x("logits"), x("target"), reduction: "sum")),
        C("cross_entropy_none", Red, x => F.cross_entropy(x("logits"), x("target"), reduction: "none")),
        C("mse_loss", Red, x => F.mse_loss(x("a"), x("b"))),
        C("sdpa", Red, x => F.scaled_dot_product_attention(x("q"), x("k"), x("v"))),
        C("sdpa_causal", Red, x => F.scaled_dot_product_attention(x("q"), x("k"), x("v"), is_causal: true)),
        C("sdpa_mask", Red, x => F.scaled_dot_product_attention(x("q"), x("k"), x("v"), attn_mask: x("amask"))),
        // composite: the pre-LN causal self-attention block, written with functional ops (ParityBlock is the module form)
        C("block", Tolerance.Composite, FunctionalBlock),
    ];

    private static Tensor FunctionalBlock(Func<string, Tensor> x)
    {
        var input = x("bx");
        var (b, t, c) = (input.shape[0], input.shape[1], input.shape[2]);
        const long heads = 2;
        var h = F.layer_norm(input, [c], x("ln1_w"), x("ln1_b"));
        var qkv = F.linear(h, x("qkv_w"), x("qkv_b"));
        Tensor Head(long i) => qkv.narrow(2, i * c, c).reshape(b, t, heads, c / heads).transpose(1, 2);
        var y = F.scaled_dot_product_attention(Head(0), Head(1), Head(2), is_causal: true);
        var r = input + F.linear(y.transpose(1, 2).contiguous().reshape(b, t, c), x("proj_w"), x("proj_b"));
        h = F.layer_norm(r, [c], x("ln2_w"), x("ln2_b"));
        return r + F.linear(F.gelu(F.linear(h, x("fc_w"), x("fc_b"))), x("fc2_w"), x("fc2_b"));
    }
}
