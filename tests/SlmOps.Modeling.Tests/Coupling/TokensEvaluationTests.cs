using SlmOps.Modeling.Architectures;
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
