namespace SlmOps.Torch.Modules;

/// <summary>Applies its children in order; children are named "0", "1", ... like PyTorch's nn.Sequential.</summary>
public sealed class Sequential : torch.nn.Module<Tensor, Tensor>
{
    private readonly List<torch.nn.Module<Tensor, Tensor>> _layers = [];

    public Sequential(params torch.nn.Module<Tensor, Tensor>[] layers) : base(nameof(Sequential))
    {
        foreach (var layer in layers)
        {
            register_module(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
            _layers.Add(layer);
        }
    }

    public int Count => _layers.Count;

    public torch.nn.Module<Tensor, Tensor> this[int index] => _layers[index];

    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            // Intermediates are left to the caller's dispose scope: autograd may still need them.
            x = layer.call(x);
        }
        return x;
    }
}
