using SlmOps.Torch;
using SlmOps.Torch.Optim;

namespace SlmOps.Modeling.Training;

/// <summary>
/// Two AdamW instances standing in for PyTorch's parameter groups: matrices (and the T×T mixing
/// weights) decay, vectors (biases, LayerNorm gains) do not — decaying a LayerNorm gain toward zero
/// only fights the normalization.
/// </summary>
internal sealed class ParameterGroups : IDisposable
{
    private readonly AdamW? _decay;
    private readonly AdamW? _noDecay;

    public ParameterGroups(IReadOnlyList<Tensor> parameters, TrainingOptions o)
    {
        var matrices = parameters.Where(p => p.dim() >= 2).ToList();
        var vectors = parameters.Where(p => p.dim() < 2).ToList();
        if (matrices.Count > 0) _decay = torch.optim.AdamW(matrices, o.LearningRate, o.Beta1, o.Beta2, 1e-8, o.WeightDecay);
        if (vectors.Count > 0) _noDecay = torch.optim.AdamW(vectors, o.LearningRate, o.Beta1, o.Beta2, 1e-8, 0.0);
    }

    public void SetLearningRate(double lr)
    {
        if (_decay is not null) _decay.lr = lr;
        if (_noDecay is not null) _noDecay.lr = lr;
    }

    public void ZeroGrad()
    {
        _decay?.zero_grad();
        _noDecay?.zero_grad();
    }

    public void Step()
    {
        _decay?.step();
        _noDecay?.step();
    }

    public Dictionary<string, Tensor> SaveState()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (prefix, opt) in Groups())
            foreach (var (k, v) in opt.SaveState()) state[$"{prefix}.{k}"] = v;
        return state;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (prefix, opt) in Groups())
        {
            var mine = state.Where(kv => kv.Key.StartsWith(prefix + ".", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[(prefix.Length + 1)..], kv => kv.Value);
            opt.LoadState(mine);
        }
    }

    private IEnumerable<(string, AdamW)> Groups()
    {
        if (_decay is not null) yield return ("decay", _decay);
        if (_noDecay is not null) yield return ("no_decay", _noDecay);
    }

    public void Dispose()
    {
        _decay?.Dispose();
        _noDecay?.Dispose();
    }
}
