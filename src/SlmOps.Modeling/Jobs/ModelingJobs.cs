using SlmOps.Contracts.Runs;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Data;
using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Jobs;

/// <summary>TrainBaseModel's config: serializable as the run's config JSON.</summary>
public sealed record BaseModelJob
{
    public required ModelConfig Model { get; init; }
    public required TrainingOptions Training { get; init; }
    public required string TokenizerPath { get; init; }
    public required string TrainTokensPath { get; init; }
    public string? ValTokensPath { get; init; }

    /// <summary>See <see cref="Trainer.CheckpointSaved"/>.</summary>
    public Action<long>? CheckpointSaved { get; init; }

    /// <summary>This process's rank of a data-parallel run (see <see cref="Trainer.Parallel"/>); only rank 0 writes the output.</summary>
    public DataParallel? Parallel { get; init; }
}

/// <summary>TrainTaskModel's config. Method: a follower (per Coupling), or a baseline (slm-alone, lora, full-finetune).</summary>
public sealed record TaskModelJob
{
    public TrainingMethod Method { get; init; } = TrainingMethod.Slm;
    public required string BaseModelDir { get; init; }
    /// <summary>sha256 of the base model's model.safetensors recorded at registration; checked on load.</summary>
    public string? BaseModelWeightsFileSha256 { get; init; }
    /// <summary>The SLM's architecture ("slm" and "slm-alone").</summary>
    public ModelConfig? Slm { get; init; }
    public CouplingOptions Coupling { get; init; } = new();
    public int LoraRank { get; init; } = 8;
    /// <summary>adapter and plugin-peft: the adapters' bottleneck width.</summary>
    public int AdapterBottleneck { get; init; } = 8;
    /// <summary>prefix: window positions the prefix takes.</summary>
    public int PrefixLength { get; init; } = 4;
    /// <summary>plugin-peft: module kind, small model depth k and bridge reduction r (its bottleneck is <see cref="AdapterBottleneck"/>, its rank <see cref="LoraRank"/>).</summary>
    public PluginPeftOptions Plugin { get; init; } = new();
    /// <summary>plugin-peft: a small model of its own (a registry base model's folder) instead of the LLM's first k blocks.</summary>
    public string? PluginSmallModelDir { get; init; }
    /// <summary>sha256 of that small model's model.safetensors recorded at registration; checked on load.</summary>
    public string? PluginSmallModelWeightsFileSha256 { get; init; }
    public required TrainingOptions Training { get; init; }
    public required string TrainTokensPath { get; init; }
    public string? ValTokensPath { get; init; }

    /// <summary>See <see cref="Trainer.CheckpointSaved"/>.</summary>
    public Action<long>? CheckpointSaved { get; init; }

    /// <summary>This process's rank of a data-parallel run (see <see cref="Trainer.Parallel"/>); only rank 0 writes the output.</summary>
    public DataParallel? Parallel { get; init; }
}

public sealed record JobOutcome(TrainingResult Training, string OutputDir, IReadOnlyDictionary<string, string> OutputFiles);

/// <summary>
/// The entry points a worker calls. <c>workDir</c> keeps the resumable training checkpoint (a re-queued
/// run passes the same folder and continues where it stopped); <c>outputDir</c> receives the finished
/// model checkpoint with its manifest. Call on a dedicated thread.
/// </summary>
public static class ModelingJobs
{
    public static JobOutcome TrainBaseModel(BaseModelJob job, string workDir, string outputDir, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var tokenizer = TokenizerArtifact.Load(job.TokenizerPath);
        if (job.Model.VocabSize != tokenizer.VocabSize)
            throw new ArgumentException($"The model's vocabulary ({job.Model.VocabSize}) must equal the tokenizer's ({tokenizer.VocabSize}).");
        var train = TokenFile.Read(job.TrainTokensPath, tokenizer.Hash);
        var val = job.ValTokensPath is null ? null : TokenFile.Read(job.ValTokensPath, tokenizer.Hash);
        var device = Device.Parse(job.Training.Device);
        torch.manual_seed(job.Training.Seed); // initial weights; a resume overwrites them from the checkpoint
        using var model = ModelFactory.Create(job.Model);
        model.to(device);
        var result = new Trainer(job.Training) { CheckpointSaved = job.CheckpointSaved, Parallel = job.Parallel }.Run(new LanguageModelObjective(model), train, val, workDir, progress, cancellation);
        if (result.Cancelled || !IsRoot(job.Parallel)) return new JobOutcome(result, outputDir, new Dictionary<string, string>());
        var manifest = ModelCheckpoint.SaveLanguageModel(outputDir, model, tokenizer);
        return new JobOutcome(result, outputDir, manifest.Files);
    }

    /// <summary>plugin-peft's small model of its own, frozen (null: the LLM's first k blocks). PluginPeft.Train checks its tokenizer and shape.</summary>
    private static FrozenLlm? LoadSmallModel(TaskModelJob job, Device device)
    {
        if (job.PluginSmallModelDir is not { } dir) return null;
        var (model, _) = ModelCheckpoint.LoadLanguageModel(dir, job.PluginSmallModelWeightsFileSha256);
        model.to(device);
        return new FrozenLlm(model);
    }

    public static JobOutcome TrainTaskModel(TaskModelJob job, string workDir, string outputDir, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var device = Device.Parse(job.Training.Device);
        var (baseModel, baseConfig) = ModelCheckpoint.LoadLanguageModel(job.BaseModelDir, job.BaseModelWeightsFileSha256);
        baseModel.to(device);
        using var llm = new FrozenLlm(baseModel);
        var tokenizer = ModelCheckpoint.ReadTokenizer(job.BaseModelDir);
        var train = TokenFile.Read(job.TrainTokensPath, baseConfig.TokenizerHash);
        var val = job.ValTokensPath is null ? null : TokenFile.Read(job.ValTokensPath, baseConfig.TokenizerHash);
        torch.manual_seed(job.Training.Seed);

        JobOutcome outcome;
        switch (job.Method)
        {
            case TrainingMethod.Slm:
            {
                var slm = ModelFactory.Create(job.Slm ?? throw new ArgumentException("Method 'slm' needs an Slm architecture."));
                SlmInitializer.Apply(slm, llm.Model, job.Coupling);
                using var follower = new SlmFollower(slm, job.Coupling, llm.Model.Config.Width);
                follower.to(device);
                var result = new Trainer(job.Training) { CheckpointSaved = job.CheckpointSaved, Parallel = job.Parallel }.Run(new CoupledObjective(llm, follower), train, val, workDir, progress, cancellation);
                outcome = result.Cancelled || !IsRoot(job.Parallel) ? NoOutput(result, outputDir) : new JobOutcome(result, outputDir, ModelCheckpoint.SaveFollower(outputDir, follower, tokenizer, llm).Files);
                break;
            }
            case TrainingMethod.SlmAlone:
            {
                using var slm = ModelFactory.Create(job.Slm ?? throw new ArgumentException("Method 'slm-alone' needs an Slm architecture."));
                slm.to(device);
                var result = new Trainer(job.Training) { CheckpointSaved = job.CheckpointSaved, Parallel = job.Parallel }.Run(new LanguageModelObjective(slm), train, val, workDir, progress, cancellation);
                outcome = result.Cancelled || !IsRoot(job.Parallel) ? NoOutput(result, outputDir) : new JobOutcome(result, outputDir, ModelCheckpoint.SaveLanguageModel(outputDir, slm, tokenizer).Files);
                break;
            }
            case TrainingMethod.Lora:
            {
                using var adapters = LoraAdapterSet.Attach(llm.Model, job.LoraRank, 2.0 * job.LoraRank);
                try
                {
                    var result = new Trainer(job.Training) { CheckpointSaved = job.CheckpointSaved, Parallel = job.Parallel }.Run(PeftObjective.Attached(llm, adapters), train, val, workDir, progress, cancellation);
                    if (result.Cancelled || !IsRoot(job.Parallel)) outcome = NoOutput(result, outputDir);
                    else outcome = ModulesOutcome(result, outputDir, tokenizer, adapters.Save);
                }
                finally { adapters.DetachFrom(); }
                break;
            }
            case TrainingMethod.Adapter:
            {
                using var adapters = AdapterSet.Attach(llm.Model, job.AdapterBottleneck);
                try
                {
                    var result = new Trainer(job.Training) { CheckpointSaved = job.CheckpointSaved, Parallel = job.Parallel }.Run(PeftObjective.Attached(llm, adapters), train, val, workDir, progress, cancellation);
                    outcome = result.Cancelled || !IsRoot(job.Parallel) ? NoOutput(result, outputDir) : ModulesOutcome(result, outputDir, tokenizer, adapters.Save);
                }
                finally { adapters.DetachFrom(); }
                break;
            }
            case TrainingMethod.Prefix:
            {
                using var prefix = PrefixSet.Create(llm.Model, job.PrefixLength, train);
                var result = new Trainer(job.Training) { CheckpointSaved = job.CheckpointSaved, Parallel = job.Parallel }.Run(PeftObjective.Prefix(llm, prefix), train, val, workDir, progress, cancellation);
                outcome = result.Cancelled || !IsRoot(job.Parallel) ? NoOutput(result, outputDir) : ModulesOutcome(result, outputDir, tokenizer, prefix.Save);
                break;
            }
            case TrainingMethod.PluginPeft:
            {
                if (job.Parallel is { WorldSize: > 1 })
                    throw new NotSupportedException("plugin-peft trains in two stages of its own and does not run data-parallel; submit it without distributed.worldSize.");
                // One step axis for the run (the platform stores each step once): the small stage's steps 1..N, the bridge's N+1..2N.
                var steps = job.Training.Steps;
                using var small = LoadSmallModel(job, device);
                var run = PluginPeft.Train(llm, train, job.Training, job.Plugin with { Bottleneck = job.AdapterBottleneck, Rank = job.LoraRank },
                    progress: (stage, p) => progress?.Invoke(stage == "bridge" ? p with { Step = p.Step + steps } : p),
                    checkpointRoot: workDir, small: small is null ? null : new PluginSmallModel(small, ModelCheckpoint.ReadTokenizer(job.PluginSmallModelDir!).Hash, baseConfig.TokenizerHash),
                    cancellation: cancellation);
                using var modules = run.Modules;
                try
                {
                    if (run.BridgeStage.Cancelled || run.SmallStage.Cancelled) outcome = NoOutput(run.BridgeStage, outputDir);
                    else
                    {
                        // The stages never see validation data: what is scored is the full LLM with the modules plugged in,
                        // reported as the last step's eval/val_loss and registered with the version.
                        var last = steps + run.BridgeStage.StepsCompleted;
                        var result = run.BridgeStage with { StepsCompleted = last, TrainableParameters = modules.parameters().Sum(p => p.numel()) };
                        if (val is not null)
                        {
                            var valLoss = Evaluator.MeanLoss(PeftObjective.Attached(llm, modules), val, job.Training.BatchSize,
                                Math.Min(job.Training.BlockSize ?? llm.BlockSize, llm.BlockSize), job.Training.EvalBatches, device);
                            if (run.BridgeStage.Losses.Count > 0)
                                progress?.Invoke(new TrainingProgress(last, run.BridgeStage.Losses[^1], run.BridgeStage.TokensPerSecond, 0, valLoss));
                            result = result with { ValLosses = [(last, valLoss)] };
                        }
                        outcome = ModulesOutcome(result, outputDir, tokenizer, modules.Save);
                    }
                }
                finally { modules.DetachFrom(); }
                break;
            }
            case TrainingMethod.FullFinetune:
            {
                using var copy = ModelFactory.Create(llm.Model.Config);
                copy.to(device);
                copy.load_state_dict(llm.Model.state_dict());
                var result = new Trainer(job.Training) { CheckpointSaved = job.CheckpointSaved, Parallel = job.Parallel }.Run(new LanguageModelObjective(copy), train, val, workDir, progress, cancellation);
                outcome = result.Cancelled || !IsRoot(job.Parallel) ? NoOutput(result, outputDir) : new JobOutcome(result, outputDir, ModelCheckpoint.SaveLanguageModel(outputDir, copy, tokenizer).Files);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(job), job.Method, "Unknown task method.");
        }
        llm.VerifyUnchanged();
        return outcome;
    }

    /// <summary>No output files: the run was cancelled, or this is a rank other than 0 of a data-parallel run.</summary>
    /// <summary>
    /// A module-only output (LoRA, adapters, prefix, plug-in modules): the modules' files plus the tokenizer, which
    /// travels with every registered model folder (the registry checks it is among the files), under one manifest.
    /// </summary>
    private static JobOutcome ModulesOutcome(TrainingResult result, string outputDir, ITokenizer tokenizer, Func<string, Sha256Manifest> save)
    {
        save(outputDir);
        TokenizerArtifact.Save(tokenizer, Path.Combine(outputDir, ModelCheckpoint.TokenizerFile));
        return new JobOutcome(result, outputDir, Sha256Manifest.Write(outputDir).Files);
    }

    private static JobOutcome NoOutput(TrainingResult result, string outputDir) => new(result, outputDir, new Dictionary<string, string>());

    private static bool IsRoot(DataParallel? parallel) => parallel?.IsRoot ?? true;
}
