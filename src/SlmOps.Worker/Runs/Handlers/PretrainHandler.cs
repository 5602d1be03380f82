using System.Text.Json;
using SlmOps.Modeling;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Jobs;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>Pretrains an LLM on prepared token files; the result is registered as a base model version.</summary>
public sealed class PretrainHandler : IRunHandler
{
    public RunOutput? Execute(RunContext context)
    {
        var spec = context.Assignment.Spec.Pretrain!;
        var data = context.PreparedData();
        var tokenizerPath = Path.Combine(data, ModelCheckpoint.TokenizerFile);
        var tokenizer = Modeling.Tokenizers.TokenizerArtifact.Load(tokenizerPath);
        var model = spec.Model is { ValueKind: JsonValueKind.Object } m
            ? m.Deserialize<ModelConfig>(ModelingJson.Options)!
            : ModelPresets.ByName(spec.Preset!, tokenizer.VocabSize);
        var training = TrainingSettings.From(spec.Training);
        ResumePoint.Prepare(context);
        var job = new BaseModelJob
        {
            Model = model, Training = training, TokenizerPath = tokenizerPath,
            TrainTokensPath = Path.Combine(data, "train.bin"), ValTokensPath = Path.Combine(data, "val.bin"),
            CheckpointSaved = context.CheckpointSaved,
        };
        var outputDir = context.Folders.CleanOutputDir();
        var progress = TrainingSettings.Progress(context, training);
        var outcome = DataParallelRanks.Run(context, spec.Distributed, training, (rankTraining, parallel) => ModelingJobs.TrainBaseModel(
            job with { Training = rankTraining, Parallel = parallel }, context.Folders.WorkDir, outputDir, progress, context.Cancellation));
        // Another rank of a gang spread over workers has nothing to register: rank 0 reports the run.
        if (outcome is null || outcome.Training.Cancelled) return null;
        return new RunOutput(Model: ModelOutputs.Upload(context, outcome.OutputDir, ModelCheckpoint.WeightsFile, null, model,
            model.Architecture, model.ParameterCount(), outcome.Training, spec.DatasetVersionId));
    }
}
