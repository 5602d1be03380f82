namespace SlmOps.Torch.Modules;

/// <summary>Layer normalisation over the trailing <c>normalized_shape</c> dims; weight ones, bias zeros.</summary>
public sealed class LayerNorm : torch.nn.Module<Tensor, Tensor>
{
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, Device? device = null,
        ScalarType? dtype = null)
        : base(nameof(LayerNorm))
    {
        normalized_shape = [.. normalizedShape];
        this.eps = eps;
        register_parameter("weight", elementwiseAffine ? torch.nn.Parameter(Init.Constant(normalizedShape, 1.0, dtype, device)) : null);
        register_parameter("bias", elementwiseAffine ? torch.nn.Parameter(Init.Constant(normalizedShape, 0.0, dtype, device)) : null);
    }

    public long[] normalized_shape { get; }

    public double eps { get; }

    public Tensor? weight => get_parameter("weight");

    public Tensor? bias => get_parameter("bias");

    public override Tensor forward(Tensor input) =>
        torch.nn.functional.layer_norm(input, normalized_shape, weight, bias, eps);
}
