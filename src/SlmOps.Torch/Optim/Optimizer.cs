using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch.Optim;

/// <summary>Base of the native optimizers: every step updates all parameters in one native call, in place.</summary>
public abstract class Optimizer : IDisposable
{
    private readonly IntPtr[] parameterHandles;

    protected Optimizer(IEnumerable<Tensor> parameters, double lr)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0)
        {
            throw new ArgumentException("optimizer got an empty parameter list", nameof(parameters));
        }

        parameterHandles = new IntPtr[Parameters.Count];
        this.lr = lr;
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Learning rate used by the next <see cref="step"/>; set it from a schedule.</summary>
    public double lr { get; set; }

    public abstract void step();

    /// <summary>Clears gradients; by default drops them (set_to_none, PyTorch 2's default) so no zero-fill runs.</summary>
    public unsafe void zero_grad(bool set_to_none = true)
    {
        using var handles = AcquireParameters();
        fixed (IntPtr* p = handles.Handles)
        {
            N.Check(N.SlmOptim_zero_grad(p, Parameters.Count, set_to_none ? 1 : 0));
        }
    }

    /// <summary>Optimizer state as named tensors (fresh handles the caller disposes), for checkpoints.</summary>
    public abstract IReadOnlyDictionary<string, Tensor> SaveState();

    /// <summary>Restores state written by <see cref="SaveState"/> (values are copied in).</summary>
    public abstract void LoadState(IReadOnlyDictionary<string, Tensor> state);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    internal HandleArray AcquireParameters() => new(Parameters, parameterHandles);

    /// <summary>A zero state tensor shaped like a parameter, owned by the optimizer (not by any dispose scope).</summary>
    protected static Tensor StateLike(Tensor parameter)
    {
        using (torch.no_grad())
        {
            return torch.zeros_like(parameter).DetachFromDisposeScope();
        }
    }

    protected static Tensor Required(IReadOnlyDictionary<string, Tensor> state, string key)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException($"optimizer state has no entry '{key}'");
    }

    protected static void CopyInto(Tensor destination, Tensor source, string key)
    {
        if (!destination.shape.SequenceEqual(source.shape))
        {
            throw new ArgumentException($"optimizer state '{key}' has shape [{string.Join(", ", source.shape)}], expected [{string.Join(", ", destination.shape)}]");
        }

        using (torch.no_grad())
        {
            destination.copy_(source);
        }
    }
}
