using SlmOps.Modeling.Coupling;
using SlmOps.Torch;

namespace SlmOps.Modeling.Training;

/// <summary>Trains an SLM to follow a frozen LLM; only <see cref="SlmFollower"/>'s parameters are trainable.</summary>
public sealed class CoupledObjective(FrozenLlm llm, SlmFollower follower) : ITrainingObjective
{
    public FrozenLlm Llm { get; } = llm;
    public SlmFollower Follower { get; } = follower;
    public torch.nn.Module Trainable => Follower;
    public int BlockSize => Math.Min(Llm.BlockSize, Follower.Slm.Config.BlockSize);

    /// <summary>
    /// Training: the loss of one draw per position (the paper's training signal). Evaluation (the follower in eval
    /// mode) in sampled tokens mode: the K-draw loss of what the pair really predicts (<see cref="SlmFollower.TokensLossOverDraws"/>).
    /// </summary>
    public Tensor Loss(Tensor x, Tensor y)
    {
        var options = Follower.Options;
        if (!Follower.training && options is { Mode: CouplingMode.Tokens, Argmax: false })
            return Follower.TokensLossOverDraws(Llm, x, y, options.EvalDraws);
        using var logits = Follower.Logits(Llm, x);
        return Losses.NextTokenCrossEntropy(logits, y);
    }

    public void AfterOptimizerStep() => Follower.Slm.AfterOptimizerStep();
}
