using SlmOps.Torch;

namespace SlmOps.Modeling.Training;

/// <summary>
/// What a trainer optimizes: a module whose parameters go to the optimizer (and into checkpoints) and
/// a loss over a batch. LLM pretraining, an SLM following a frozen LLM, LoRA and full fine-tuning are
/// all objectives; the loop is the same.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>Holds exactly the trainable parameters (a frozen LLM is never inside it).</summary>
    torch.nn.Module Trainable { get; }

    /// <summary>Longest block the objective accepts.</summary>
    int BlockSize { get; }

    /// <summary>Mean next-token cross-entropy of (B, t) ids x against targets y.</summary>
    Tensor Loss(Tensor x, Tensor y);

    void AfterOptimizerStep();
}
