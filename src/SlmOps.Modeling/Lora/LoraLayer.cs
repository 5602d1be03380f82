using SlmOps.Torch;

namespace SlmOps.Modeling.Lora;

/// <summary>
/// ΔW x = (α/r) B A x with A: r×in (random, Linear-style uniform init) and B: out×r (zeros), so an
/// attached, untrained adapter leaves the layer's output exactly unchanged.
/// </summary>
/// <remarks>
/// With <see cref="PlugIn"/>/<see cref="PlugOut"/> set (plug-in PEFT), A and B live in another model's widths and are
/// read through projections onto this layer's: ΔW = (α/r)·P_out·B·A·P_inᵀ (see <see cref="Peft.PlugProjection"/>).
/// </remarks>
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

    /// <summary>Projections onto the layer's input width, outermost first (null: A is in the layer's own width).</summary>
    public IReadOnlyList<Tensor>? PlugIn { get; set; }

    /// <summary>Projections onto the layer's output width, outermost first (null: B is in the layer's own width).</summary>
    public IReadOnlyList<Tensor>? PlugOut { get; set; }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var a = PlugIn is { } plugIn ? Peft.PlugProjection.Reading(A, plugIn) : A;
        var b = PlugOut is { } plugOut ? Peft.PlugProjection.Writing(B, plugOut) : B;
        var down = torch.nn.functional.linear(x, a);
        var up = torch.nn.functional.linear(down, b);
        return (up * Scale).MoveToOuterDisposeScope();
    }
}
