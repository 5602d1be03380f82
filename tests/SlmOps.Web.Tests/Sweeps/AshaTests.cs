using SlmOps.Contracts.Sweeps;
using SlmOps.Web.Sweeps;

namespace SlmOps.Web.Tests.Sweeps;

/// <summary>ASHA's decisions on synthetic metric streams, fed in a fixed arrival order.</summary>
public sealed class AshaTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");
    private static readonly Guid D = Guid.Parse("00000000-0000-0000-0000-00000000000d");

    private static (long, double)[] Stream(params (long Step, double Value)[] points) => points;

    [Fact]
    public void The_first_trials_at_a_rung_go_on_until_there_are_factor_of_them()
    {
        var bracket = new AshaBracket(new AshaRule([10], ReductionFactor: 2, Maximize: false));

        var first = bracket.Observe(A, Stream((10, 5.0)));
        var second = bracket.Observe(B, Stream((10, 4.0)));

        Assert.True(Assert.Single(first).Continued);   // alone: no evidence
        Assert.True(Assert.Single(second).Continued);  // best of two: kept
    }

    [Fact]
    public void A_trial_worse_than_the_best_half_at_a_rung_is_stopped_there()
    {
        var bracket = new AshaBracket(new AshaRule([10, 20], ReductionFactor: 2, Maximize: false));
        bracket.Observe(A, Stream((10, 3.0), (20, 2.5)));
        bracket.Observe(B, Stream((10, 3.5), (20, 2.9)));

        var results = bracket.Observe(C, Stream((10, 6.0), (20, 5.0)));

        var stop = Assert.Single(results); // stopped at the first rung: the second is never judged
        Assert.Equal(new RungResult(10, C, 10, 6.0, Continued: false), stop);
        Assert.Equal(10, bracket.StoppedAt(C));
        Assert.Empty(bracket.Observe(C, Stream((30, 1.0))));
    }

    [Fact]
    public void With_maximize_the_larger_values_win()
    {
        var bracket = new AshaBracket(new AshaRule([5], ReductionFactor: 2, Maximize: true));
        bracket.Observe(A, Stream((5, 0.9)));

        Assert.False(Assert.Single(bracket.Observe(B, Stream((5, 0.1)))).Continued);
        Assert.True(Assert.Single(bracket.Observe(C, Stream((5, 0.95)))).Continued);
    }

    [Fact]
    public void A_rung_is_reached_at_the_first_point_at_or_after_its_step_and_not_before()
    {
        var bracket = new AshaBracket(new AshaRule([10], ReductionFactor: 3, Maximize: false));

        Assert.Empty(bracket.Observe(A, Stream((4, 9.0), (8, 8.0))));
        var result = Assert.Single(bracket.Observe(A, Stream((4, 9.0), (8, 8.0), (12, 7.0), (16, 6.0))));

        Assert.Equal((12L, 7.0), (result.MetricStep, result.Value));
    }

    [Fact]
    public void Each_trial_is_judged_once_per_rung_however_often_its_points_are_seen()
    {
        var bracket = new AshaBracket(new AshaRule([10, 20], ReductionFactor: 2, Maximize: false));
        bracket.Observe(A, Stream((10, 1.0)));

        var again = bracket.Observe(A, Stream((10, 1.0), (20, 0.8)));

        Assert.Equal([20L], again.Select(r => r.Rung));
    }

    [Fact]
    public void Restored_results_decide_like_the_live_ones_did()
    {
        var rule = new AshaRule([10], ReductionFactor: 3, Maximize: false);
        var live = new AshaBracket(rule);
        var stream = new[] { (A, 2.0), (B, 1.0), (C, 3.0), (D, 2.5) };
        var liveDecisions = stream.Select(t => live.Observe(t.Item1, Stream((10, t.Item2)))[0].Continued).ToList();

        var restored = new AshaBracket(rule);
        foreach (var (trial, value) in stream[..3]) restored.Restore(new RungResult(10, trial, 10, value, true));
        var last = restored.Observe(D, Stream((10, 2.5)))[0].Continued;

        Assert.Equal([true, true, false, false], liveDecisions); // n=3 keeps 1 (B); C and D are behind it
        Assert.Equal(liveDecisions[3], last);
    }

    [Fact]
    public void A_nan_metric_is_stopped_once_there_is_evidence()
    {
        var rule = new AshaRule([1], ReductionFactor: 2, Maximize: false);

        Assert.True(rule.Continues(double.NaN, []));
        Assert.False(rule.Continues(double.NaN, [1.0]));
    }

    [Fact]
    public void Without_rungs_they_start_at_min_steps_and_grow_by_the_factor_below_the_trial_steps()
    {
        Assert.Equal([10L, 30L, 90L], AshaRule.RungsOf(new EarlyStoppingSpec { MinSteps = 10, ReductionFactor = 3 }, trialSteps: 100));
        Assert.Equal([20L, 60L], AshaRule.RungsOf(new EarlyStoppingSpec { Rungs = [20, 60], MinSteps = 5 }, trialSteps: 100));
    }
}
