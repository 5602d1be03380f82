using SlmOps.Torch.Optim;

namespace SlmOps.Torch.Tests.Parity;

/// <summary>Optimizer, clipping and block-training cases: they return named tensors instead of a differentiable output.</summary>
public static class ParityDirectCases
{
    public static IReadOnlyList<string> Names { get; } = ["adamw", "sgd", "clip_grad_norm", "block_adamw"];

    public static Dictionary<string, Tensor> Run(string name, IReadOnlyDictionary<string, Tensor> x) => name switch
    {
        "adamw" => TwoParameterSteps(x, ps => new AdamW(ps, lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1)),
        "sgd" => TwoParameterSteps(x, ps => new SGD(ps, lr: 0.05, momentum: 0.9, weight_decay: 0.01)),
        "clip_grad_norm" => Clip(x),
        "block_adamw" => BlockStep(x),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown direct case"),
    };

    private static (Tensor P1, Tensor P2) Leaves(IReadOnlyDictionary<string, Tensor> x)
    {
        var p1 = x["a"].detach().clone().requires_grad_();
        var p2 = x["c"].detach().clone().requires_grad_();
        return (p1, p2);
    }

    private static Tensor Loss(Tensor p1, Tensor p2, IReadOnlyDictionary<string, Tensor> x) =>
        (p1 * x["b"]).sum() + (p2 * p2).sum();

    // Three steps, so the second and third exercise the optimizer's state (moments, momentum buffers, bias correction).
    private static Dictionary<string, Tensor> TwoParameterSteps(IReadOnlyDictionary<string, Tensor> x,
        Func<Tensor[], Optimizer> make)
    {
        var (p1, p2) = Leaves(x);
        using var opt = make([p1, p2]);
        for (var i = 0; i < 3; i++)
        {
            opt.zero_grad();
            Loss(p1, p2, x).backward();
            opt.step();
        }
        return new() { ["p1"] = p1.detach(), ["p2"] = p2.detach() };
    }

    private static Dictionary<string, Tensor> Clip(IReadOnlyDictionary<string, Tensor> x)
    {
        var (p1, p2) = Leaves(x);
        Loss(p1, p2, x).backward();
        var norm = torch.nn.utils.clip_grad_norm_([p1, p2], 0.5);
        return new() { ["norm"] = torch.tensor([(float)norm], [1]), ["g1"] = p1.grad!, ["g2"] = p2.grad! };
    }

    private static Dictionary<string, Tensor> BlockStep(IReadOnlyDictionary<string, Tensor> x)
    {
        using var block = ParityBlock.FromInputs(x);
        using var opt = new AdamW(block.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01);
        var input = x["bx"].detach();
        var output = block.call(input);
        (output * ParityInputs.Upstream(output)).sum().backward();
        opt.step();
        var state = block.state_dict();
        // Clones: the block (and its parameters) is disposed when this method returns.
        return ParityBlock.ParameterNames.ToDictionary(kv => kv.Key, kv => state[kv.Value].detach().clone());
    }
}
