using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Lora;

/// <summary>
/// Trains LoRA adapters on a frozen LLM: gradients flow through the LLM (its parameters do not
/// require grad) into the adapters, the only trainable parameters.
/// </summary>
public sealed class LoraObjective(FrozenLlm llm, LoraAdapterSet adapters) : ITrainingObjective
{
    public FrozenLlm Llm { get; } = llm;
    public LoraAdapterSet Adapters { get; } = adapters;
    public torch.nn.Module Trainable => Adapters;
    public int BlockSize => Llm.BlockSize;

    public Tensor Loss(Tensor x, Tensor y)
    {
        using var logits = Llm.Model.forward(x);
        return Losses.NextTokenCrossEntropy(logits, y);
    }

    public void AfterOptimizerStep() { }
}
