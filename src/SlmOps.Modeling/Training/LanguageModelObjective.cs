using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Training;

/// <summary>Plain next-token training of one model: LLM pretraining, an SLM alone, or full fine-tuning of a copy.</summary>
public sealed class LanguageModelObjective(LanguageModel model) : ITrainingObjective
{
    public LanguageModel Model { get; } = model;
    public torch.nn.Module Trainable => Model;
    public int BlockSize => Model.Config.BlockSize;

    public Tensor Loss(Tensor x, Tensor y)
    {
        using var logits = Model.forward(x);
        return Losses.NextTokenCrossEntropy(logits, y);
    }

    public void AfterOptimizerStep() => Model.AfterOptimizerStep();
}

internal static class Losses
{
    public static Tensor NextTokenCrossEntropy(Tensor logits, Tensor y)
    {
        var v = logits.shape[^1];
        using var flat = logits.reshape(-1, v);
        using var targets = y.reshape(-1);
        // Half-precision logits (autocast) are upcast; float64 (exactness tests) is kept as it is.
        using var f32 = flat.dtype is ScalarType.Float32 or ScalarType.Float64 ? flat.alias() : flat.to(ScalarType.Float32);
        return torch.nn.functional.cross_entropy(f32, targets);
    }
}
