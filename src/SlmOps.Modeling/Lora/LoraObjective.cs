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
        var v = logits.shape[^1];
        using var flat = logits.reshape(-1, v);
        using var targets = y.reshape(-1);
        return torch.nn.functional.cross_entropy(flat, targets);
    }

    public void AfterOptimizerStep() { }
}
