using SlmOps.Contracts.Runs;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Data;
using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Worker.Runs;

/// <summary>
/// What to score: a registered LLM alone, or with a registered task module on top (an SLM follower in its
/// coupling mode, LoRA adapters, bottleneck adapters, a prefix, plug-in PEFT modules, or a standalone model for slm-alone / full-finetune). Each weights file is
/// checked against the sha256 recorded at registration before it is used.
/// </summary>
public sealed record ScoringTarget(string BaseModelDir, string BaseWeightsSha256, string? ModuleDir = null, string? ModuleWeightsSha256 = null, TrainingMethod? Method = null);

public sealed record ScoringOptions(int Batches, int BatchSize, int? BlockSize, string Device);

/// <summary>Token-weighted mean next-token loss on a val split. Call on the run's dedicated thread.</summary>
public static class ModelScorer
{
    public static double ValLoss(ScoringTarget target, string valTokensPath, ScoringOptions options)
    {
        var device = Device.Parse(options.Device);
        // Tokens mode samples the LLM's predictions: a fixed seed makes a re-evaluation reproduce its number.
        torch.manual_seed(0);
        var (baseModel, baseConfig) = ModelCheckpoint.LoadLanguageModel(target.BaseModelDir, target.BaseWeightsSha256);
        baseModel.to(device);
        using var llm = new FrozenLlm(baseModel);
        var val = TokenFile.Read(valTokensPath, baseConfig.TokenizerHash);

        switch (target.Method)
        {
            case null:
                return Score(new LanguageModelObjective(llm.Model), val, options, device);
            case TrainingMethod.Slm:
            {
                CheckRegistered(target, ModelCheckpoint.WeightsFile);
                using var follower = ModelCheckpoint.LoadFollower(target.ModuleDir!, llm, baseConfig.TokenizerHash);
                follower.to(device);
                return Score(new CoupledObjective(llm, follower), val, options, device);
            }
            case TrainingMethod.Lora:
            {
                CheckRegistered(target, LoraAdapterSet.WeightsFile);
                using var adapters = LoraAdapterSet.Load(target.ModuleDir!, llm.Model);
                try { return Score(PeftObjective.Attached(llm, adapters), val, options, device); }
                finally { adapters.DetachFrom(); }
            }
            case TrainingMethod.Adapter:
            {
                CheckRegistered(target, PeftFiles.WeightsFile);
                using var adapters = AdapterSet.Load(target.ModuleDir!, llm.Model);
                try { return Score(PeftObjective.Attached(llm, adapters), val, options, device); }
                finally { adapters.DetachFrom(); }
            }
            case TrainingMethod.Prefix:
            {
                CheckRegistered(target, PeftFiles.WeightsFile);
                using var prefix = PrefixSet.Load(target.ModuleDir!, llm.Model);
                return Score(PeftObjective.Prefix(llm, prefix), val, options, device);
            }
            case TrainingMethod.PluginPeft:
            {
                CheckRegistered(target, PeftFiles.WeightsFile);
                using var modules = PluginModules.Load(target.ModuleDir!, llm.Model);
                try { return Score(PeftObjective.Attached(llm, modules), val, options, device); }
                finally { modules.DetachFrom(); }
            }
            case TrainingMethod.SlmAlone or TrainingMethod.FullFinetune:
            {
                var (model, _) = ModelCheckpoint.LoadLanguageModel(target.ModuleDir!, target.ModuleWeightsSha256);
                using (model)
                {
                    model.to(device);
                    return Score(new LanguageModelObjective(model), val, options, device);
                }
            }
            default:
                throw new NotSupportedException($"SLM versions trained with method '{target.Method}' cannot be evaluated.");
        }
    }

    private static double Score(ITrainingObjective objective, int[] val, ScoringOptions options, Device device)
    {
        if (val.Length < 3) throw new InvalidDataException($"The val split holds {val.Length} tokens; evaluation needs at least 3. Prepare a larger dataset or a larger validationFraction.");
        var blockSize = Math.Min(Math.Min(options.BlockSize ?? objective.BlockSize, objective.BlockSize), val.Length - 1);
        return Evaluator.MeanLoss(objective, val, options.BatchSize, blockSize, options.Batches, device);
    }

    private static void CheckRegistered(ScoringTarget target, string weightsFile)
    {
        var manifest = Sha256Manifest.Verify(target.ModuleDir!);
        if (!manifest.Files.TryGetValue(weightsFile, out var sha) || sha != target.ModuleWeightsSha256)
            throw new InvalidDataException($"'{target.ModuleDir}/{weightsFile}' has sha256 {sha ?? "(missing)"}, not the registered {target.ModuleWeightsSha256}.");
    }
}
