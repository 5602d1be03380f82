namespace SlmOps.Torch.Modules;

/// <summary>y = x W^T + b, with W of shape [out, in] (PyTorch's layout, so checkpoints interchange).</summary>
public sealed class Linear : torch.nn.Module<Tensor, Tensor>
{
    public Linear(long inFeatures, long outFeatures, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Linear))
    {
        in_features = inFeatures;
        out_features = outFeatures;
        var bound = Init.LinearBound(inFeatures);
        register_parameter("weight", torch.nn.Parameter(Init.Uniform([outFeatures, inFeatures], bound, dtype, device)));
        register_parameter("bias", hasBias ? torch.nn.Parameter(Init.Uniform([outFeatures], bound, dtype, device)) : null);
    }

    public long in_features { get; }

    public long out_features { get; }

    public Tensor weight => get_parameter("weight")!;

    public Tensor? bias => get_parameter("bias");

    public override Tensor forward(Tensor input) => torch.nn.functional.linear(input, weight, bias);
}
