using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Data;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Coupling;

/// <summary>Tokens mode is evaluated as what the pair predicts: the mean of the SLM's distributions over the LLM's draws.</summary>
public class TokensEvaluationTests
{
    private const int Vocab = 19;

    private static (FrozenLlm Llm, SlmFollower Follower) Pair()
    {
        torch.manual_seed(70);
        var llm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(Vocab, 16)));
        var slm = new FftLanguageModel(ModelPresets.TinyFft(Vocab, 12) with { Width = 24, Layers = 1 });
        SlmInitializer.Apply(slm, llm.Model, new CouplingOptions());
        var follower = new SlmFollower(slm, new CouplingOptions(), llm.Model.Config.Width);
        follower.eval();
        return (llm, follower);
    }

    private static double Loss(Func<Tensor> compute)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        return compute().item<float>();
    }

    [Fact]
    public void One_draw_is_the_loss_of_the_drawn_tokens_and_k_draws_are_below_the_mean_of_those_draws()
    {
        var (llm, follower) = Pair();
        using (llm)
        using (follower)
        {
            using var ids = ModelTestData.Ids(4, 12, Vocab, seed: 1);
            using var targets = ModelTestData.Ids(4, 12, Vocab, seed: 2);

            torch.manual_seed(5);
            var oneDraw = Loss(() => follower.TokensLossOverDraws(llm, ids, targets, draws: 1));
            torch.manual_seed(5);
            var crossEntropy = Loss(() => torch.nn.functional.cross_entropy(follower.Logits(llm, ids).reshape(-1, Vocab), targets.reshape(-1)));
            Assert.Equal(crossEntropy, oneDraw, 5);

            // K successive one-draw losses consume the generator exactly as one K-draw loss does (the LLM draws nothing else).
            const int k = 6;
            torch.manual_seed(9);
            var singles = Enumerable.Range(0, k).Select(_ => Loss(() => follower.TokensLossOverDraws(llm, ids, targets, draws: 1))).ToList();
            torch.manual_seed(9);
            var kDraw = Loss(() => follower.TokensLossOverDraws(llm, ids, targets, draws: k));
            Assert.True(singles.Distinct().Count() > 1, "the draws should differ");
            // Jensen: -log mean_k p_k <= mean_k -log p_k at every position, strictly when the draws disagree.
            Assert.True(kDraw < singles.Average() - 1e-4, $"K-draw {kDraw} is not below the mean one-draw loss {singles.Average()}");
            Assert.True(kDraw > singles.Min() - Math.Log(k), $"K-draw {kDraw} is more than log K below the best single draw {singles.Min()}");
        }
    }

    [Fact]
    public void Evaluation_uses_k_draws_and_training_one()
    {
        var (llm, follower) = Pair();
        using (llm)
        using (follower)
        {
            using var ids = ModelTestData.Ids(4, 12, Vocab, seed: 3);
            using var targets = ModelTestData.Ids(4, 12, Vocab, seed: 4);
            var objective = new CoupledObjective(llm, follower);
            torch.manual_seed(11);
            var evaluated = Loss(() => objective.Loss(ids, targets));
            torch.manual_seed(11);
            var kDraw = Loss(() => follower.TokensLossOverDraws(llm, ids, targets, CouplingOptions.DefaultEvalDraws));
            Assert.Equal(kDraw, evaluated, 6);

            follower.train();
            torch.manual_seed(11);
            var trained = Loss(() => objective.Loss(ids, targets));
            torch.manual_seed(11);
            var oneDraw = Loss(() => follower.TokensLossOverDraws(llm, ids, targets, 1));
            Assert.Equal(oneDraw, trained, 5);
        }
    }
}

/// <summary>Tests that would catch a tokens-mode SLM that ignores the LLM, and sampling that is not softmax(logits/T).</summary>
public class TokensCouplingReadsTheLlmTests
{
    private const int Vocab = 19;

    [Fact]
    public void With_a_trained_llm_the_tokens_slm_beats_the_same_slm_alone_and_shuffled_llm_tokens_make_it_worse()
    {
        var train = CoupledTrainingTests.PatternTokens(3000, seed: 1);
        var val = CoupledTrainingTests.PatternTokens(600, seed: 2);
        // A short SLM training against a well-trained LLM: the SLM alone has not learned the pattern yet; the pair can lean on the LLM.
        var options = new TrainingOptions { Steps = 15, BatchSize = 8, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 2 };
        torch.manual_seed(80);
        var model = new FftLanguageModel(ModelPresets.TinyFft(Vocab, 16));
        new Trainer(options with { Steps = 100 }).Run(new LanguageModelObjective(model), train);
        using var llm = new FrozenLlm(model);
        var slmConfig = ModelPresets.TinyFft(Vocab, 16) with { Width = 16, Layers = 1 };

        torch.manual_seed(81);
        var coupling = new CouplingOptions { Initialization = SlmInitialization.Random };
        var slm = new FftLanguageModel(slmConfig);
        using var follower = new SlmFollower(slm, coupling, llm.Model.Config.Width);
        var coupled = new CoupledObjective(llm, follower);
        new Trainer(options).Run(coupled, train);
        torch.manual_seed(81);
        using var alone = new FftLanguageModel(slmConfig);
        var aloneObjective = new LanguageModelObjective(alone);
        new Trainer(options).Run(aloneObjective, train);

        torch.manual_seed(3);
        var followerLoss = Evaluator.MeanLoss(coupled, val, 8, 16, 4, Device.CPU);
        var aloneLoss = Evaluator.MeanLoss(aloneObjective, val, 8, 16, 4, Device.CPU);
        Assert.True(followerLoss < aloneLoss - 0.1, $"tokens SLM {followerLoss} vs the same SLM alone {aloneLoss}");

        // The same trained pair, fed the LLM's draws in a shuffled order: it must get worse if it reads them.
        follower.eval();
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var batch = BatchSampler.Sequential(val, 8, 16, 1).First();
        var x = torch.tensor(batch.X, [batch.BatchSize, batch.BlockSize]);
        var y = torch.tensor(batch.Y, [batch.BatchSize, batch.BlockSize]);
        var llmLogits = llm.Logits(x);
        torch.manual_seed(4);
        var drawn = follower.DrawTokens(llmLogits);
        var order = torch.tensor(Enumerable.Range(0, 16).Select(i => (long)((i * 7 + 3) % 16)).ToArray(), [16]);
        var shuffled = drawn.index_select(1, order);
        double Loss(Tensor read) => torch.nn.functional.cross_entropy(follower.Compose(read, llmLogits, null, null, false).reshape(-1, Vocab), y.reshape(-1)).item<float>();
        Assert.True(Loss(shuffled) > Loss(drawn) + 0.5, $"shuffled {Loss(shuffled)} vs in order {Loss(drawn)}");
    }

    [Fact]
    public void Sampling_at_temperature_t_draws_from_softmax_of_logits_over_t()
    {
        var follower = new SlmFollower(new FftLanguageModel(ModelPresets.TinyFft(4, 4)), new CouplingOptions { Temperature = 0.5 }, 32);
        using var scope = torch.NewDisposeScope();
        float[] logits = [1.0f, 0.0f, -0.5f, 0.3f];
        const int draws = 20000;
        var repeated = torch.tensor(Enumerable.Range(0, draws).SelectMany(_ => logits).ToArray(), [1, draws, 4]);
        torch.manual_seed(12);
        var drawn = follower.DrawTokens(repeated).ToArray<long>();
        var expected = logits.Select(l => Math.Exp(l / 0.5)).ToArray();
        var total = expected.Sum();
        for (var v = 0; v < 4; v++)
        {
            var observed = drawn.Count(d => d == v) / (double)draws;
            var p = expected[v] / total;
            // 4.5 standard errors of a binomial proportion: a wrong temperature (T=1 gives p0=0.46 instead of 0.62) fails by far.
            Assert.True(Math.Abs(observed - p) < 4.5 * Math.Sqrt(p * (1 - p) / draws), $"token {v}: observed {observed:F4}, softmax(logits/T) {p:F4}");
        }
    }
}
