namespace SlmOps.Torch.Modules;

/// <summary>Zeroes elements with probability p while training (scaling the rest by 1/(1-p)); identity in eval.</summary>
public sealed class Dropout : torch.nn.Module<Tensor, Tensor>
{
    public Dropout(double p = 0.5) : base(nameof(Dropout))
    {
        if (p is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        }
        this.p = p;
    }

    public double p { get; }

    public override Tensor forward(Tensor input) => torch.nn.functional.dropout(input, p, training);
}
