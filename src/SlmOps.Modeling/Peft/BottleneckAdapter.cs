using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>
/// Houlsby's bottleneck adapter on a sublayer's output y: y + W_up·gelu(W_down·y + b_down) + b_up, with W_down: m×E
/// (Linear-style uniform init) and W_up: E×m and b_up zero, so an attached, untrained adapter leaves the model exactly
/// as it was.
/// </summary>
/// <remarks>
/// With <see cref="Plug"/> set (plug-in PEFT), the adapter lives in another model's width E_s and is read through a
/// projection P: E_s→E of this model: y + P·W_up·gelu(W_down·Pᵀ·y + b_down) + P·b_up (computed with P folded into
/// W_down and W_up, see <see cref="Projected"/>).
/// </remarks>
public sealed class BottleneckAdapter : torch.nn.Module<Tensor, Tensor>
{
    public BottleneckAdapter(long width, int bottleneck, Device device) : base(nameof(BottleneckAdapter))
    {
        var bound = 1.0 / Math.Sqrt(width);
        using (torch.no_grad())
        using (var u = torch.rand([bottleneck, width], device: device))
        using (var centered = u * (2 * bound))
            register_parameter("down", torch.nn.Parameter(centered - bound));
        register_parameter("down_bias", torch.nn.Parameter(torch.zeros([bottleneck], device: device)));
        register_parameter("up", torch.nn.Parameter(torch.zeros([width, bottleneck], device: device)));
        register_parameter("up_bias", torch.nn.Parameter(torch.zeros([width], device: device)));
        Width = width;
        Bottleneck = bottleneck;
    }

    /// <summary>The width the adapter's own matrices are in (E_s when plugged through a projection).</summary>
    public long Width { get; }
    public int Bottleneck { get; }
    public Tensor Down => get_parameter("down")!;
    public Tensor DownBias => get_parameter("down_bias")!;
    public Tensor Up => get_parameter("up")!;
    public Tensor UpBias => get_parameter("up_bias")!;

    /// <summary>Projections E_s → E_target applied around the adapter, outermost first (null: the adapter is in the model's width).</summary>
    public IReadOnlyList<Tensor>? Plug { get; set; }

    public override Tensor forward(Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        var (down, up, upBias) = Plug is { } plug ? Projected(plug) : (Down, Up, UpBias);
        var hidden = torch.nn.functional.linear(y, down, DownBias);
        var activated = torch.nn.functional.gelu(hidden);
        var delta = torch.nn.functional.linear(activated, up, upBias);
        return (y + delta).MoveToOuterDisposeScope();
    }

    /// <summary>The adapter's matrices carried through the projections once per forward (see <see cref="PlugProjection"/>).</summary>
    private (Tensor Down, Tensor Up, Tensor UpBias) Projected(IReadOnlyList<Tensor> plug) =>
        (PlugProjection.Reading(Down, plug), PlugProjection.Writing(Up, plug), PlugProjection.Writing(UpBias, plug));
}
