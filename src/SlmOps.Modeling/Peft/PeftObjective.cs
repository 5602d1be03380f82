using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>
/// Trains parameter-efficient modules on a frozen LLM (LoRA, adapters, a prefix): gradients flow through the LLM (its
/// parameters do not require grad) into the modules, the only trainable parameters.
/// </summary>
public sealed class PeftObjective : ITrainingObjective
{
    private readonly Func<Tensor, Tensor> _logits;

    /// <param name="modules">The trainable modules (already attached to the LLM when they act through hooks).</param>
    /// <param name="logits">How the adapted LLM reads ids (default: its own forward, through whatever is attached).</param>
    /// <param name="blockSize">Longest block the adapted LLM reads (default: its window).</param>
    public PeftObjective(FrozenLlm llm, torch.nn.Module modules, Func<Tensor, Tensor>? logits = null, int? blockSize = null)
    {
        Llm = llm;
        Trainable = modules;
        _logits = logits ?? llm.Model.forward;
        BlockSize = blockSize ?? llm.BlockSize;
    }

    /// <summary>Adapters and LoRA act through hooks inside the LLM's own forward.</summary>
    public static PeftObjective Attached(FrozenLlm llm, torch.nn.Module modules) => new(llm, modules);

    /// <summary>A prefix is read before the text, so the text gets the window less the prefix.</summary>
    public static PeftObjective Prefix(FrozenLlm llm, PrefixSet prefix) =>
        new(llm, prefix, ids => prefix.Logits(llm.Model, ids), llm.BlockSize - prefix.Length);

    public FrozenLlm Llm { get; }
    public torch.nn.Module Trainable { get; }
    public int BlockSize { get; }

    public Tensor Loss(Tensor x, Tensor y)
    {
        using var logits = _logits(x);
        return Losses.NextTokenCrossEntropy(logits, y);
    }

    public void AfterOptimizerStep() { }
}
