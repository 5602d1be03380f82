using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Workers;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Training;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>Uploads a trained model folder and describes it for registration.</summary>
public static class ModelOutputs
{
    public static ModelOutput Upload(RunContext context, string folder, string weightsFile, string? fallbackTokenizerSha256, object config,
        string architecture, long parameterCount, TrainingResult training, long datasetVersionId)
    {
        var (manifest, files) = context.UploadFolder(folder);
        var tokenizer = files.TryGetValue(ModelCheckpoint.TokenizerFile, out var own) ? own
            : fallbackTokenizerSha256 ?? throw new InvalidDataException($"The model folder has no {ModelCheckpoint.TokenizerFile}.");
        return new ModelOutput
        {
            ManifestSha256 = manifest, WeightsSha256 = files[weightsFile], TokenizerSha256 = tokenizer, Files = files,
            Config = JsonSerializer.SerializeToElement(config, Modeling.ModelingJson.Options), Architecture = architecture, ParameterCount = parameterCount,
            Evaluation = EvaluationMetrics.ForTraining(
                training.Losses.Count > 0 ? training.Losses[^1] : null, training.MedianStepMs,
                training.ValLosses.Count > 0 ? training.ValLosses[^1].Loss : null, datasetVersionId, context.RunId, DateTimeOffset.UtcNow),
        };
    }
}
