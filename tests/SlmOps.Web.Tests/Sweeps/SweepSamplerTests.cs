using System.Text.Json;
using SlmOps.Contracts.Sweeps;
using SlmOps.Web.Sweeps;

namespace SlmOps.Web.Tests.Sweeps;

/// <summary>Grid and random sampling: exact trial lists for a seed (the random ones computed by an independent Python
/// SplitMix64, whose first outputs for seed 0 are Vigna's published test vector).</summary>
public sealed class SweepSamplerTests
{
    private static SweepParameter List(params object[] values) => new() { Values = values.Select(v => JsonSerializer.SerializeToElement(v)).ToList() };

    private static SweepParameter Range(string distribution, double min, double max) => new() { Distribution = distribution, Min = min, Max = max };

    private static string Show(SweepTrialParams trial) => string.Join(" ", trial.Values.Select(v => $"{v.Key}={v.Value.GetRawText()}"));

    [Fact]
    public void SplitMix64_reproduces_the_reference_sequence_for_seed_0()
    {
        var random = new SplitMix64(0);

        Assert.Equal([0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL], [random.Next(), random.Next(), random.Next()]);
    }

    [Fact]
    public void A_grid_is_every_combination_with_the_last_field_in_ordinal_order_varying_fastest()
    {
        // Written in the other order on purpose: the paths' ordinal order decides, not the JSON's.
        var space = new Dictionary<string, SweepParameter>
        {
            ["training.learningRate"] = List(0.001, 0.01),
            ["method"] = List("slm", "lora", "full-finetune"),
        };

        var trials = SweepSampler.Trials(space, 6, seed: 99);

        Assert.Equal(
        [
            "method=\"slm\" training.learningRate=0.001", "method=\"slm\" training.learningRate=0.01",
            "method=\"lora\" training.learningRate=0.001", "method=\"lora\" training.learningRate=0.01",
            "method=\"full-finetune\" training.learningRate=0.001", "method=\"full-finetune\" training.learningRate=0.01",
        ], trials.Select(Show));
        Assert.Equal([0, 1, 2, 3, 4, 5], trials.Select(t => t.Index));
        Assert.Equal(6, SweepSampler.GridSize(space));
    }

    [Fact]
    public void A_grid_with_a_smaller_budget_runs_its_first_combinations()
    {
        var space = new Dictionary<string, SweepParameter> { ["method"] = List("slm", "lora", "full-finetune") };

        Assert.Equal(["method=\"slm\"", "method=\"lora\""], SweepSampler.Trials(space, 2, seed: 0).Select(Show));
    }

    [Fact]
    public void A_random_search_draws_the_same_exact_trials_for_the_same_seed()
    {
        var space = new Dictionary<string, SweepParameter>
        {
            ["training.learningRate"] = Range(SweepDistributions.LogUniform, 1e-4, 1e-2),
            ["training.batchSize"] = Range(SweepDistributions.Integer, 4, 16),
            ["method"] = List("slm", "lora"),
        };

        var trials = SweepSampler.Trials(space, 4, seed: 42);

        Assert.Equal(
        [
            "method=\"lora\" training.batchSize=6 training.learningRate=0.000360747",
            "method=\"slm\" training.batchSize=4 training.learningRate=0.00545075",
            "method=\"slm\" training.batchSize=14 training.learningRate=0.000478478",
            "method=\"lora\" training.batchSize=6 training.learningRate=0.00096823",
        ], trials.Select(Show));
        Assert.Equal(trials.Select(Show), SweepSampler.Trials(space, 4, seed: 42).Select(Show));
        Assert.NotEqual(trials.Select(Show), SweepSampler.Trials(space, 4, seed: 43).Select(Show));
    }

    [Fact]
    public void A_uniform_range_stays_inside_its_bounds()
    {
        var space = new Dictionary<string, SweepParameter> { ["x"] = Range(SweepDistributions.Uniform, 0.1, 0.5) };

        var values = SweepSampler.Trials(space, 3, seed: 7).Select(t => t.Values["x"].GetDouble()).ToList();

        Assert.Equal([0.255932, 0.106715, 0.460304], values);
        Assert.All(SweepSampler.Trials(space, 200, seed: 1), t => Assert.InRange(t.Values["x"].GetDouble(), 0.1, 0.5));
    }

    [Fact]
    public void Trial_values_land_at_their_paths_in_the_base_spec()
    {
        var baseSpec = JsonSerializer.SerializeToElement(new { method = "slm", training = new { steps = 40 } });
        var values = new Dictionary<string, JsonElement>
        {
            ["training.learningRate"] = JsonSerializer.SerializeToElement(0.003),
            ["method"] = JsonSerializer.SerializeToElement("lora"),
        };

        var spec = SweepPlan.Apply(baseSpec, values);

        Assert.Equal("""{"method":"lora","training":{"steps":40,"learningRate":0.003}}""", spec.GetRawText());
    }

    [Fact]
    public void The_all_methods_preset_is_a_grid_over_every_training_method_and_the_space_wins_over_it()
    {
        var baseSpec = JsonSerializer.SerializeToElement(new { taskModelName = "t", training = new { steps = 40 } });

        var preset = SweepPlan.Of(new SweepSpec { Preset = SweepPresets.AllMethods, Spec = baseSpec });
        var narrowed = SweepPlan.Of(new SweepSpec { Preset = SweepPresets.AllMethods, Spec = baseSpec, Space = new() { ["method"] = List("lora", "slm") } });

        Assert.Equal(Contracts.Runs.TrainingMethods.Names, preset.Trials.Select(t => preset.TrialSpec(t).GetProperty("method").GetString()));
        Assert.Equal(7, preset.Trials.Count); // slm, slm-alone, lora, full-finetune, adapter, prefix, plugin-peft
        Assert.Equal(Contracts.RunKind.TrainTaskModel, preset.TrialKind);
        Assert.Equal(["lora", "slm"], narrowed.Trials.Select(t => t.Values["method"].GetString()));
    }
}
