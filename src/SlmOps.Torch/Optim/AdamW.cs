using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch.Optim;

/// <summary>AdamW with decoupled weight decay; the arithmetic of torch.optim.AdamW (amsgrad off).</summary>
public sealed class AdamW : Optimizer
{
    private readonly Tensor[] expAvg;
    private readonly Tensor[] expAvgSq;
    private readonly long[] steps;
    private readonly IntPtr[] expAvgHandles;
    private readonly IntPtr[] expAvgSqHandles;

    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0.01)
        : base(parameters, lr)
    {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weight_decay = weight_decay;
        expAvg = Parameters.Select(StateLike).ToArray();
        expAvgSq = Parameters.Select(StateLike).ToArray();
        steps = new long[Parameters.Count];
        expAvgHandles = new IntPtr[Parameters.Count];
        expAvgSqHandles = new IntPtr[Parameters.Count];
    }

    public double beta1 { get; set; }

    public double beta2 { get; set; }

    public double eps { get; set; }

    public double weight_decay { get; set; }

    /// <summary>Number of updates applied to the first parameter (PyTorch counts per parameter).</summary>
    public long StepCount => steps[0];

    public override unsafe void step()
    {
        using var p = AcquireParameters();
        using var m = new HandleArray(expAvg, expAvgHandles);
        using var v = new HandleArray(expAvgSq, expAvgSqHandles);
        fixed (IntPtr* pp = p.Handles, pm = m.Handles, pv = v.Handles)
        fixed (long* ps = steps)
        {
            N.Check(N.SlmOptim_adamw_step(pp, pm, pv, ps, Parameters.Count, lr, beta1, beta2, eps, weight_decay));
        }
    }

    public override IReadOnlyDictionary<string, Tensor> SaveState()
    {
        var state = new Dictionary<string, Tensor>();
        for (var i = 0; i < Parameters.Count; i++)
        {
            state[$"{i}.exp_avg"] = expAvg[i].detach().clone();
            state[$"{i}.exp_avg_sq"] = expAvgSq[i].detach().clone();
            state[$"{i}.step"] = torch.tensor([steps[i]], [], ScalarType.Int64);
        }

        return state;
    }

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            CopyInto(expAvg[i], Required(state, $"{i}.exp_avg"), $"{i}.exp_avg");
            CopyInto(expAvgSq[i], Required(state, $"{i}.exp_avg_sq"), $"{i}.exp_avg_sq");
            steps[i] = Required(state, $"{i}.step").item<long>();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var t in expAvg.Concat(expAvgSq))
            {
                t.Dispose();
            }
        }
    }
}
