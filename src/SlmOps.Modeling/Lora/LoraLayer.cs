using SlmOps.Torch;

namespace SlmOps.Modeling.Lora;

/// <summary>
/// ΔW x = (α/r) B A x with A: r×in (random, Linear-style uniform init) and B: out×r (zeros), so an
/// attached, untrained adapter leaves the layer's output exactly unchanged.
/// </summary>
public sealed class LoraLayer : torch.nn.Module<Tensor, Tensor>
{
    public LoraLayer(long inFeatures, long outFeatures, int rank, double alpha, Device device) : base(nameof(LoraLayer))
    {
        Rank = rank;
        Scale = alpha / rank;
        var bound = 1.0 / Math.Sqrt(inFeatures);
        using (torch.no_grad())
        using (var u = torch.rand([rank, inFeatures], device: device))
        using (var centered = u * (2 * bound))
        {
            register_parameter("lora_a", torch.nn.Parameter(centered - bound));
        }
        register_parameter("lora_b", torch.nn.Parameter(torch.zeros([outFeatures, rank], device: device)));
    }

    public int Rank { get; }
    public double Scale { get; }
    public Tensor A => get_parameter("lora_a")!;
    public Tensor B => get_parameter("lora_b")!;

    public override Tensor forward(Tensor x)
    {
        using var down = torch.nn.functional.linear(x, A);
        using var up = torch.nn.functional.linear(down, B);
        return up * Scale;
    }
}
