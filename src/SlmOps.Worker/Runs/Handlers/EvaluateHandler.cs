using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>
/// Scores a base model version (the LLM alone) or an SLM version (the LLM with its module) on the val split of a
/// prepared dataset version; records eval/val_loss and eval/perplexity. The web host merges the result into the
/// version's evaluation_metrics when the outcome arrives.
/// </summary>
public sealed class EvaluateHandler : IRunHandler
{
    public RunOutput? Execute(RunContext context)
    {
        var spec = context.Assignment.Spec.Evaluate!;
        var llm = context.BaseModel;
        var data = context.PreparedData();
        var llmDir = context.Folder(llm.ManifestSha256);
        // The LLM alone, or with the SLM version's module (the web host always names its method).
        var target = context.Assignment.Inputs.Module is { } module
            ? new ScoringTarget(llmDir, llm.WeightsSha256, context.Folder(module.ManifestSha256), module.WeightsSha256, module.Method ?? TrainingMethod.Slm)
            : new ScoringTarget(llmDir, llm.WeightsSha256);
        context.Report(0, 1, null, null, null);
        if (context.Cancellation.IsCancellationRequested) return null;

        var valLoss = ModelScorer.ValLoss(target, Path.Combine(data, "val.bin"), new ScoringOptions(spec.Batches, spec.BatchSize, spec.BlockSize, spec.Device));
        var perplexity = Math.Exp(valLoss);
        context.Metric("eval/val_loss", 0, valLoss);
        context.Metric("eval/perplexity", 0, perplexity);
        context.Report(1, 1, null, null, null);
        return new RunOutput(Evaluation: new EvaluationOutput(valLoss, perplexity));
    }
}
