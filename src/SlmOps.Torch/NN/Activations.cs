namespace SlmOps.Torch.Modules;

/// <summary>GELU (exact, erf-based, PyTorch's default) as a module, for use in <see cref="Sequential"/>.</summary>
public sealed class GELU() : torch.nn.Module<Tensor, Tensor>(nameof(GELU))
{
    public override Tensor forward(Tensor input) => torch.nn.functional.gelu(input);
}

/// <summary>ReLU as a module, for use in <see cref="Sequential"/>.</summary>
public sealed class ReLU() : torch.nn.Module<Tensor, Tensor>(nameof(ReLU))
{
    public override Tensor forward(Tensor input) => torch.nn.functional.relu(input);
}
