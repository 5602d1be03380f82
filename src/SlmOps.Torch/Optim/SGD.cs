using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch.Optim;

/// <summary>Stochastic gradient descent with optional momentum and L2 weight decay (torch.optim.SGD, dampening 0).</summary>
public sealed class SGD : Optimizer
{
    private readonly Tensor[] momentumBuffers;
    private readonly IntPtr[] bufferHandles;

    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double weight_decay = 0)
        : base(parameters, lr)
    {
        this.momentum = momentum;
        this.weight_decay = weight_decay;
        momentumBuffers = momentum != 0 ? Parameters.Select(StateLike).ToArray() : [];
        bufferHandles = new IntPtr[momentumBuffers.Length];
    }

    public double momentum { get; }

    public double weight_decay { get; set; }

    public override unsafe void step()
    {
        using var p = AcquireParameters();
        using var b = new HandleArray(momentumBuffers, bufferHandles);
        fixed (IntPtr* pp = p.Handles, pb = b.Handles)
        {
            N.Check(N.SlmOptim_sgd_step(pp, momentumBuffers.Length == 0 ? null : pb, Parameters.Count, lr, momentum, weight_decay));
        }
    }

    public override IReadOnlyDictionary<string, Tensor> SaveState()
    {
        var state = new Dictionary<string, Tensor>();
        for (var i = 0; i < momentumBuffers.Length; i++)
        {
            state[$"{i}.momentum_buffer"] = momentumBuffers[i].detach().clone();
        }

        return state;
    }

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        for (var i = 0; i < momentumBuffers.Length; i++)
        {
            CopyInto(momentumBuffers[i], Required(state, $"{i}.momentum_buffer"), $"{i}.momentum_buffer");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var t in momentumBuffers)
            {
                t.Dispose();
            }
        }
    }
}
