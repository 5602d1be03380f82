using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Modeling;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Jobs;
using SlmOps.Modeling.Peft;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>Trains a task module (an SLM follower or a baseline) against the frozen LLM; registered as an SLM version.</summary>
public sealed class FineTuneHandler : IRunHandler
{
    public RunOutput? Execute(RunContext context)
    {
        var spec = context.Assignment.Spec.FineTune!;
        var llm = context.BaseModel;
        var data = context.PreparedData();
        var baseDir = context.Folder(llm.ManifestSha256);
        var vocab = ModelCheckpoint.ReadTokenizer(baseDir).VocabSize;
        ModelConfig? slm = spec.Slm is { ValueKind: JsonValueKind.Object } s ? s.Deserialize<ModelConfig>(ModelingJson.Options)
            : spec.SlmPreset is { } preset ? ModelPresets.ByName(preset, vocab) : null;
        var method = TrainingMethods.Parse(spec.Method);
        var small = method == TrainingMethod.PluginPeft ? context.Assignment.Inputs.PluginSmallModel : null;
        var training = TrainingSettings.From(spec.Training);
        ResumePoint.Prepare(context);
        var job = new TaskModelJob
        {
            Method = method, BaseModelDir = baseDir, BaseModelWeightsFileSha256 = llm.WeightsSha256, Slm = slm,
            Coupling = new CouplingOptions
            {
                Mode = CouplingModes.Parse(spec.Coupling),
                Initialization = spec.Initialization switch { "random" => SlmInitialization.Random, "inherit" => SlmInitialization.Inherit, _ => SlmInitialization.CopyTables },
                InheritBlocks = spec.InheritBlocks,
            },
            LoraRank = spec.LoraRank, AdapterBottleneck = spec.AdapterBottleneck, PrefixLength = spec.PrefixLength,
            Plugin = new PluginPeftOptions { Module = spec.PluginModule, SmallLayers = spec.PluginSmallLayers, Ratio = spec.PluginRatio, Bottleneck = spec.AdapterBottleneck, Rank = spec.LoraRank },
            // A registry small model: fetched like the LLM; Modeling refuses it (same tokenizer rule as the API) before any step.
            PluginSmallModelDir = small is null ? null : context.Folder(small.ManifestSha256), PluginSmallModelWeightsFileSha256 = small?.WeightsSha256,
            Training = training,
            TrainTokensPath = Path.Combine(data, "train.bin"), ValTokensPath = Path.Combine(data, "val.bin"),
            CheckpointSaved = context.CheckpointSaved,
        };
        var outputDir = context.Folders.CleanOutputDir();
        // plugin-peft trains two stages of training.steps each (the small model, then the bridge) on one step axis.
        var progress = TrainingSettings.Progress(context, method == TrainingMethod.PluginPeft ? training with { Steps = 2 * training.Steps } : training);
        var outcome = DataParallelRanks.Run(context, spec.Distributed, training, (rankTraining, parallel) => ModelingJobs.TrainTaskModel(
            job with { Training = rankTraining, Parallel = parallel }, context.Folders.WorkDir, outputDir, progress, context.Cancellation));
        // Another rank of a gang spread over workers has nothing to register: rank 0 reports the run.
        if (outcome is null || outcome.Training.Cancelled) return null;
        var weightsFile = outcome.OutputFiles.Keys.Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal)).Order().First();
        var config = new
        {
            method = TrainingMethods.Name(method), slm, loraRank = spec.LoraRank, adapterBottleneck = spec.AdapterBottleneck, prefixLength = spec.PrefixLength,
            pluginRatio = spec.PluginRatio, pluginSmallLayers = spec.PluginSmallLayers, pluginModule = method == TrainingMethod.PluginPeft ? spec.PluginModule : null,
            pluginSmallBaseModelVersionId = small?.Id,
        };
        return new RunOutput(Model: ModelOutputs.Upload(context, outcome.OutputDir, weightsFile, llm.TokenizerSha256, config,
            slm?.Architecture ?? "", Math.Max(1, outcome.Training.TrainableParameters), outcome.Training, spec.DatasetVersionId));
    }
}
