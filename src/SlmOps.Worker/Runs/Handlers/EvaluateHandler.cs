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
        var inputs = context.Assignment.Inputs;
        var llm = inputs.BaseModel ?? throw new InvalidOperationException("The claim named no base model.");
        var data = context.Folder((inputs.Prepared ?? throw new InvalidOperationException("The claim named no prepared dataset.")).ManifestSha256);
        var target = new ScoringTarget(context.Folder(llm.ManifestSha256), llm.WeightsSha256,
            inputs.Module is { } module ? context.Folder(module.ManifestSha256) : null, inputs.Module?.WeightsSha256,
            inputs.Module?.Method ?? (inputs.Module is null ? null : TrainingMethod.Slm));
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
