namespace SlmOps.Torch.Tests.Parity;

/// <summary>The fixed inputs of the parity cases, made here (seeded) and sent to the oracle in a safetensors file.</summary>
public static class ParityInputs
{
    public static Dictionary<string, Tensor> Create()
    {
        torch.manual_seed(0);
        Tensor R(params long[] s) => torch.randn(s);
        var amask = torch.rand([5, 5]).gt(0.3).logical_or(torch.arange(0, 5).eq(0)); // every row may attend somewhere
        return new Dictionary<string, Tensor>
        {
            ["a"] = R(3, 4), ["b"] = R(3, 4), ["pos"] = torch.rand([3, 4]) + 0.5, ["c"] = R(4, 5),
            ["bm"] = R(2, 3, 4), ["bm2"] = R(2, 4, 5), ["x3"] = R(2, 3, 4), ["row"] = R(4),
            ["idx"] = torch.tensor([2L, 0L], [2]),
            ["gidx"] = torch.tensor([0L, 3L, 1L, 1L, 2L, 0L], [3, 2]),
            ["mask"] = torch.rand([3, 4]).gt(0.5),
            ["r1"] = torch.randint(0, 3, [3, 4]).to(ScalarType.Float32),
            ["r2"] = torch.randint(0, 3, [3, 4]).to(ScalarType.Float32),
            ["lin_w"] = R(5, 4), ["lin_b"] = R(5), ["ln_w"] = R(4), ["ln_b"] = R(4),
            ["emb_w"] = R(10, 6), ["tokens"] = torch.randint(0, 10, [2, 5]),
            ["logits"] = R(6, 7), ["target"] = torch.tensor([1L, 0L, -100L, 6L, 3L, 2L], [6]),
            ["q"] = R(2, 2, 5, 4), ["k"] = R(2, 2, 5, 4), ["v"] = R(2, 2, 5, 4), ["amask"] = amask,
            ["bx"] = R(2, 8, 16),
            ["ln1_w"] = R(16), ["ln1_b"] = R(16), ["qkv_w"] = R(48, 16) * 0.2, ["qkv_b"] = R(48) * 0.1,
            ["proj_w"] = R(16, 16) * 0.2, ["proj_b"] = R(16) * 0.1, ["ln2_w"] = R(16), ["ln2_b"] = R(16),
            ["fc_w"] = R(64, 16) * 0.2, ["fc_b"] = R(64) * 0.1, ["fc2_w"] = R(16, 64) * 0.1, ["fc2_b"] = R(16) * 0.1,
        };
    }

    /// <summary>The oracle's upstream gradient weights: cos(0.37 * arange(numel) + 0.1), shaped like t.</summary>
    public static Tensor Upstream(Tensor t) =>
        ((torch.arange(0, t.numel(), dtype: ScalarType.Float32) * 0.37) + 0.1).cos().reshape(t.shape);
}
