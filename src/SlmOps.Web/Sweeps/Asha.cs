using SlmOps.Contracts.Sweeps;

namespace SlmOps.Web.Sweeps;

/// <summary>A trial's metric at a rung and whether it goes on.</summary>
public sealed record RungResult(long Rung, Guid Trial, long MetricStep, double Value, bool Continued);

/// <summary>
/// Asynchronous successive halving as a stopping rule (Li et al. 2020, in the form Ray Tune and Optuna use when trials
/// cannot be paused): when a trial reaches a rung, it is compared with every trial that reached that rung before it;
/// of those n (itself included) the best floor(n / factor) go on and the others stop. While floor(n / factor) is 0 there
/// is no evidence yet and the trial goes on. A trial reaches a rung at its first metric point at or after the rung's step.
/// </summary>
public sealed record AshaRule(IReadOnlyList<long> Rungs, int ReductionFactor, bool Maximize)
{
    /// <summary>The rule of a sweep spec, or null when it has no early stopping.</summary>
    public static AshaRule? Of(SweepSpec spec, long trialSteps) => spec.EarlyStopping is { } rule
        ? new AshaRule(RungsOf(rule, trialSteps), rule.ReductionFactor, spec.Direction == SweepDirections.Maximize)
        : null;

    /// <summary>The given rungs, or minSteps × factor^k below <paramref name="trialSteps"/>.</summary>
    public static IReadOnlyList<long> RungsOf(EarlyStoppingSpec rule, long trialSteps)
    {
        if (rule.Rungs is { Count: > 0 } rungs) return rungs;
        var generated = new List<long>();
        if (rule.MinSteps is not > 0 || rule.ReductionFactor < 2) return generated;
        for (var rung = rule.MinSteps.Value; rung < trialSteps; rung *= rule.ReductionFactor) generated.Add(rung);
        return generated;
    }

    /// <summary>Whether a trial whose metric at a rung is <paramref name="value"/> goes on, given the values recorded there before it.</summary>
    public bool Continues(double value, IReadOnlyCollection<double> earlier)
    {
        var keep = (earlier.Count + 1) / ReductionFactor;
        if (keep == 0) return true;
        if (double.IsNaN(value)) return false;
        var better = earlier.Count(v => !double.IsNaN(v) && (Maximize ? v > value : v < value));
        return better < keep;
    }
}

/// <summary>
/// The rung results of one sweep, in arrival order, and the decisions on new metric points. The scheduler and the
/// heartbeat path rebuild it from sweep_rungs under the sweep's lock, so it holds no state between calls.
/// </summary>
public sealed class AshaBracket(AshaRule rule)
{
    private readonly Dictionary<long, List<RungResult>> _byRung = [];

    public AshaRule Rule => rule;

    /// <summary>A result recorded earlier (in arrival order).</summary>
    public void Restore(RungResult result)
    {
        if (!_byRung.TryGetValue(result.Rung, out var list)) _byRung[result.Rung] = list = [];
        list.Add(result);
    }

    /// <summary>The step at which the trial was stopped, or null.</summary>
    public long? StoppedAt(Guid trial) =>
        _byRung.Values.SelectMany(l => l).Where(r => r.Trial == trial && !r.Continued).Select(r => (long?)r.MetricStep).FirstOrDefault();

    /// <summary>
    /// New results for the rungs <paramref name="points"/> (the trial's metric, any order) reach that were not recorded
    /// for it yet, in rung order, ending at the first stop. Each is also recorded here.
    /// </summary>
    public IReadOnlyList<RungResult> Observe(Guid trial, IEnumerable<(long Step, double Value)> points)
    {
        var results = new List<RungResult>();
        if (StoppedAt(trial) is not null) return results;
        var ordered = points.OrderBy(p => p.Step).ToList();
        foreach (var rung in rule.Rungs)
        {
            var earlier = _byRung.TryGetValue(rung, out var list) ? list : [];
            if (earlier.Any(r => r.Trial == trial)) continue;
            var point = ordered.FirstOrDefault(p => p.Step >= rung);
            if (point.Step < rung) break; // not there yet
            var result = new RungResult(rung, trial, point.Step, point.Value, rule.Continues(point.Value, earlier.Select(r => r.Value).ToList()));
            Restore(result);
            results.Add(result);
            if (!result.Continued) break;
        }
        return results;
    }
}
