using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;

namespace SlmOps.Web.Components.Pages.NewRun;

/// <summary>What the new-run page edits: every field of the four run specs, turned into the kind's spec on submit.</summary>
public sealed class NewRunForm
{
    public RunKind Kind { get; set; } = RunKind.TrainBaseModel;
    public string? Name { get; set; }
    public int Priority { get; set; } = 5;

    // Inputs
    public long? DatasetVersionId { get; set; }
    public long? BaseModelVersionId { get; set; }
    public long? SlmVersionId { get; set; }

    // Prepare
    public string TokenizerKind { get; set; } = "char-pair";
    public double ValidationFraction { get; set; } = 0.1;

    // Pretrain
    public string BaseModelName { get; set; } = "";
    public string? Preset { get; set; } = "tiny-fft";

    // Fine-tune
    public string TaskModelName { get; set; } = "";
    public string Method { get; set; } = "slm";
    public string Coupling { get; set; } = "tokens";
    public string Initialization { get; set; } = "copy-tables";
    public int InheritBlocks { get; set; }
    public string? SlmPreset { get; set; } = "tiny-fft";
    public int LoraRank { get; set; } = 8;
    public int AdapterBottleneck { get; set; } = 8;
    public int PrefixLength { get; set; } = 4;
    public int PluginRatio { get; set; } = 8;
    public int PluginSmallLayers { get; set; } = 1;
    public string PluginModule { get; set; } = FineTuneSpec.DefaultPluginModule;
    public long? PluginSmallBaseModelVersionId { get; set; }

    // Training (pretrain, fine-tune)
    public int? Steps { get; set; }
    public int? BatchSize { get; set; }
    public int? BlockSize { get; set; }
    public double? LearningRate { get; set; }
    public int? WarmupSteps { get; set; }
    public int? EvalEvery { get; set; }
    public int? CheckpointEvery { get; set; }
    public long? Seed { get; set; }
    public string Device { get; set; } = "cpu";

    // Evaluate
    public int Batches { get; set; } = 8;

    /// <summary>Fills the sizes and model presets of a named preset (<see cref="NewRunPresets"/>); names and inputs stay.</summary>
    public void Apply(NewRunPreset preset)
    {
        Preset = preset.LlmPreset;
        SlmPreset = preset.SlmPreset;
        Steps = preset.Steps;
        BatchSize = preset.BatchSize;
        BlockSize = Kind == RunKind.TrainTaskModel ? preset.SlmBlockSize : preset.BlockSize;
        LearningRate = preset.LearningRate;
        WarmupSteps = preset.WarmupSteps;
        EvalEvery = preset.EvalEvery;
        CheckpointEvery = preset.CheckpointEvery;
        Seed = preset.Seed;
        Batches = preset.EvaluateBatches;
    }

    public JsonElement ToSpec() => Kind switch
    {
        RunKind.PrepareDataset => Serialize(new PrepareDatasetSpec
        {
            DatasetVersionId = DatasetVersionId ?? 0, TokenizerKind = TokenizerKind, ValidationFraction = ValidationFraction,
            TokenizerFromBaseModelVersionId = BaseModelVersionId,
        }),
        RunKind.TrainBaseModel => Serialize(new PretrainSpec
        {
            DatasetVersionId = DatasetVersionId ?? 0, BaseModelName = BaseModelName.Trim(), Preset = Preset, Training = Training(),
        }),
        RunKind.TrainTaskModel => Serialize(new FineTuneSpec
        {
            BaseModelVersionId = BaseModelVersionId ?? 0, DatasetVersionId = DatasetVersionId ?? 0, TaskModelName = TaskModelName.Trim(),
            Method = Method, Coupling = Coupling, Initialization = Initialization, InheritBlocks = InheritBlocks,
            SlmPreset = Method is "slm" or "slm-alone" ? SlmPreset : null, LoraRank = LoraRank,
            AdapterBottleneck = AdapterBottleneck, PrefixLength = PrefixLength, PluginRatio = PluginRatio, PluginSmallLayers = PluginSmallLayers,
            PluginModule = PluginModule, PluginSmallBaseModelVersionId = Method == "plugin-peft" ? PluginSmallBaseModelVersionId : null, Training = Training(),
        }),
        _ => Serialize(new EvaluateSpec
        {
            DatasetVersionId = DatasetVersionId ?? 0, BaseModelVersionId = SlmVersionId is null ? BaseModelVersionId : null,
            SlmVersionId = SlmVersionId, Batches = Batches, BatchSize = BatchSize ?? 8, BlockSize = BlockSize, Device = Device,
        }),
    };

    /// <summary>A form holding an earlier run's kind and spec ("Clone and edit" on the run page).</summary>
    public static NewRunForm From(RunKind kind, string? name, int priority, JsonElement spec)
    {
        var form = new NewRunForm { Kind = kind, Name = name is null ? null : name + "-copy", Priority = priority };
        switch (kind)
        {
            case RunKind.PrepareDataset:
                var prepare = spec.Deserialize<PrepareDatasetSpec>(RunSpecJson.Options)!;
                (form.DatasetVersionId, form.TokenizerKind, form.ValidationFraction, form.BaseModelVersionId) =
                    (prepare.DatasetVersionId, prepare.TokenizerKind, prepare.ValidationFraction, prepare.TokenizerFromBaseModelVersionId);
                break;
            case RunKind.TrainBaseModel:
                var pretrain = spec.Deserialize<PretrainSpec>(RunSpecJson.Options)!;
                (form.DatasetVersionId, form.BaseModelName, form.Preset) = (pretrain.DatasetVersionId, pretrain.BaseModelName, pretrain.Preset);
                form.CopyTraining(pretrain.Training);
                break;
            case RunKind.TrainTaskModel:
                var fineTune = spec.Deserialize<FineTuneSpec>(RunSpecJson.Options)!;
                (form.BaseModelVersionId, form.DatasetVersionId, form.TaskModelName, form.Method, form.Coupling) =
                    (fineTune.BaseModelVersionId, fineTune.DatasetVersionId, fineTune.TaskModelName, fineTune.Method, fineTune.Coupling);
                (form.Initialization, form.InheritBlocks, form.SlmPreset, form.LoraRank) =
                    (fineTune.Initialization, fineTune.InheritBlocks, fineTune.SlmPreset, fineTune.LoraRank);
                (form.AdapterBottleneck, form.PrefixLength, form.PluginRatio, form.PluginSmallLayers) =
                    (fineTune.AdapterBottleneck, fineTune.PrefixLength, fineTune.PluginRatio, fineTune.PluginSmallLayers);
                (form.PluginModule, form.PluginSmallBaseModelVersionId) = (fineTune.PluginModule, fineTune.PluginSmallBaseModelVersionId);
                form.CopyTraining(fineTune.Training);
                break;
            default:
                var evaluate = spec.Deserialize<EvaluateSpec>(RunSpecJson.Options)!;
                (form.DatasetVersionId, form.BaseModelVersionId, form.SlmVersionId, form.Batches, form.BatchSize, form.BlockSize, form.Device) =
                    (evaluate.DatasetVersionId, evaluate.BaseModelVersionId, evaluate.SlmVersionId, evaluate.Batches, evaluate.BatchSize, evaluate.BlockSize, evaluate.Device);
                break;
        }
        return form;
    }

    private TrainingSpec Training() => new()
    {
        Steps = Steps, BatchSize = BatchSize, BlockSize = BlockSize, LearningRate = LearningRate, WarmupSteps = WarmupSteps,
        EvalEvery = EvalEvery, CheckpointEvery = CheckpointEvery, Seed = Seed, Device = Device,
    };

    private void CopyTraining(TrainingSpec t) =>
        (Steps, BatchSize, BlockSize, LearningRate, WarmupSteps, EvalEvery, CheckpointEvery, Seed, Device) =
        (t.Steps, t.BatchSize, t.BlockSize, t.LearningRate, t.WarmupSteps, t.EvalEvery, t.CheckpointEvery, t.Seed, t.Device);

    private static JsonElement Serialize<T>(T spec) => JsonSerializer.SerializeToElement(spec, RunSpecJson.Options);
}
