using SlmOps.Contracts;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Training;

// Two Gloo ranks (threads, over 127.0.0.1) each reading half of every batch must train exactly like one process
// reading the whole batch: same losses, same parameters, up to the rounding of sums taken in another order.
// In float64 that is all there is (1e-5 relative, with room to spare). In float32 the losses still agree within 1e-5, but
// AdamW turns rounding noise into real steps wherever the exact gradient is zero (the attention key bias; the part of a
// bias that a LayerNorm subtracts): a 1e-9 gradient against eps = 1e-8 moves the weight by ~0.1·lr per step either way.
// Those few coordinates drift apart by up to 0.1·lr·steps while every other coordinate agrees to ~1e-6 (measured: 7e-4
// on the gpt key bias, 5e-4 on an fft bias); the float32 case therefore bounds parameter differences by 0.1·lr·steps,
// and the float64 case checks the algorithm itself to 1e-5 relative.
public sealed class DataParallelTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly int[] Train = CoupledTrainingTests.PatternTokens(4000, seed: 3);
    private static readonly TrainingOptions PerRank = new()
    {
        Steps = 20, BatchSize = 4, LearningRate = 5e-3, MinLearningRate = 5e-4, WarmupSteps = 3, Seed = 11,
    };

    /// <summary>Absolute bound on float32 parameter differences: 0.1·lr per step, for every step.</summary>
    private static readonly double Float32Drift = 0.1 * PerRank.LearningRate * PerRank.Steps;

    private readonly string _dir = Directory.CreateTempSubdirectory("ddp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, ScalarType> Cases => new()
    {
        { "fft", ScalarType.Float64 }, { "gpt", ScalarType.Float64 }, { "fft", ScalarType.Float32 }, { "gpt", ScalarType.Float32 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_ranks_pretrain_like_one_process_given_the_union_of_their_batches(string architecture, ScalarType dtype)
    {
        ModelConfig config = architecture == "fft" ? ModelPresets.TinyFft(19, 16) : ModelPresets.TinyGpt(19, 16);
        var parameterTolerance = dtype == ScalarType.Float64 ? Tolerance : Float32Drift;
        torch.manual_seed(5);
        using var initial = ModelFactory.Create(config);
        initial.to(dtype);
        var start = initial.state_dict();

        using var single = ModelFactory.Create(config);
        single.to(dtype);
        single.load_state_dict(start);
        var whole = new Trainer(PerRank with { BatchSize = 8 }).Run(new LanguageModelObjective(single), Train);

        var ranks = LocalGang.Run(2, Timeout, dp =>
        {
            using var model = ModelFactory.Create(config); // rank 1's own random init: the broadcast must replace it
            model.to(dtype);
            if (dp.IsRoot) model.load_state_dict(start);
            var result = new Trainer(PerRank) { Parallel = dp }.Run(new LanguageModelObjective(model), Train);
            return (result, Parameters: Snapshot(model), dp.ReducedElementsPerStep);
        });

        Assert.All(ranks, r => AssertClose(whole.Losses, r.result.Losses));
        Assert.All(ranks, r => AssertParametersClose(Snapshot(single), r.Parameters, parameterTolerance));
        Assert.Equal(ranks[0].Parameters, ranks[1].Parameters); // identical steps on every rank, bit for bit
        Assert.All(ranks, r => Assert.Equal(single.parameters().Sum(p => p.numel()), r.ReducedElementsPerStep));
    }

    [Fact]
    public void Two_ranks_train_a_follower_like_one_process_and_never_reduce_or_change_the_frozen_llm() // float32, see above
    {
        var coupling = new CouplingOptions { Mode = CouplingMode.Logits };
        torch.manual_seed(10);
        using var llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(19, 16)));
        var slmConfig = ModelPresets.TinyFft(19, 12) with { Width = 24, Layers = 1 };
        torch.manual_seed(20);
        using var initial = new SlmFollower(new FftLanguageModel(slmConfig), coupling, llm.Model.Config.Width);
        var start = initial.state_dict();
        SlmFollower Follower()
        {
            var f = new SlmFollower(new FftLanguageModel(slmConfig), coupling, llm.Model.Config.Width);
            f.load_state_dict(start);
            return f;
        }

        using var single = Follower();
        var whole = new Trainer(PerRank with { BatchSize = 8 }).Run(new CoupledObjective(llm, single), Train);
        var ranks = LocalGang.Run(2, Timeout, dp =>
        {
            using var follower = Follower();
            var result = new Trainer(PerRank) { Parallel = dp }.Run(new CoupledObjective(llm, follower), Train);
            return (result, Parameters: Snapshot(follower), dp.ReducedElementsPerStep);
        });

        Assert.All(ranks, r => AssertClose(whole.Losses, r.result.Losses));
        Assert.All(ranks, r => AssertParametersClose(Snapshot(single), r.Parameters, Float32Drift));
        Assert.All(ranks, r => Assert.Equal(single.parameters().Sum(p => p.numel()), r.ReducedElementsPerStep));
        llm.VerifyUnchanged();
    }

    [Fact]
    public void A_data_parallel_run_resumes_exactly_from_rank_0s_checkpoint_and_refuses_another_world_size()
    {
        var config = ModelPresets.TinyFft(19, 16);
        torch.manual_seed(5);
        using var initial = ModelFactory.Create(config);
        var start = initial.state_dict();
        var options = PerRank with { Steps = 10, CheckpointEvery = 3 };
        TrainingResult Run(string? root, CancellationToken ct, Action<TrainingProgress>? progress = null) =>
            LocalGang.Run(2, Timeout, dp =>
            {
                using var model = ModelFactory.Create(config);
                if (dp.IsRoot) model.load_state_dict(start);
                return new Trainer(options) { Parallel = dp }.Run(new LanguageModelObjective(model), Train, null, root, progress, ct);
            })[0];

        var uninterrupted = Run(null, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var reported = new List<long>();
        var first = Run(_dir, cts.Token, p => { reported.Add(p.Step); if (p.Step == 4) cts.Cancel(); });
        var resumed = Run(_dir, CancellationToken.None);

        Assert.True(first.Cancelled);
        Assert.Equal([1L, 2, 3, 4, 5], reported); // progress from rank 0 only; both ranks stop after the same step
        Assert.Equal(uninterrupted.Losses, resumed.Losses);
        using var alone = ModelFactory.Create(config);
        var refused = Assert.Throws<InvalidOperationException>(() => new Trainer(options).Run(new LanguageModelObjective(alone), Train, null, _dir));
        Assert.Contains("world size 2", refused.Message);
        Assert.Contains("world size 1", refused.Message);
    }

    private static List<double[]> Snapshot(torch.nn.Module module) =>
        module.parameters().Select(p => { using var d = p.detach().to(ScalarType.Float64); return d.ToArray<double>(); }).ToList();

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * Math.Abs(expected[i]),
                $"step {i + 1}: loss {actual[i]} vs one process {expected[i]}");
    }

    /// <summary>Relative (to each tensor's largest magnitude) for float64; absolute for the float32 drift bound.</summary>
    private static void AssertParametersClose(List<double[]> expected, List<double[]> actual, double tolerance)
    {
        var relative = tolerance == Tolerance;
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var scale = expected[i].Max(Math.Abs);
            var diff = expected[i].Zip(actual[i], (e, a) => Math.Abs(e - a)).Max();
            var bound = relative ? tolerance * scale : tolerance;
            Assert.True(diff <= bound, $"parameter {i}: max |diff| {diff} exceeds {bound} (max |value| {scale})");
        }
    }
}
