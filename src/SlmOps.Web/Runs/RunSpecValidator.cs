using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Modeling;
using SlmOps.Modeling.Architectures;

namespace SlmOps.Web.Runs;

/// <summary>Checks a spec field by field; the errors dictionary names each bad field (camelCase path) with a fix.</summary>
public static class RunSpecValidator
{
    private static readonly string[] Initializations = ["random", "copy-tables", "inherit"];
    private static readonly string[] Tokenizers = ["char-pair", "byte-bpe"];
    /// <summary>jsonb reorders an object's keys, so the architecture discriminator is read wherever it sits.</summary>
    private static readonly JsonSerializerOptions StoredConfig = new(ModelingJson.Options) { AllowOutOfOrderMetadataProperties = true };
    private static readonly JsonSerializerOptions Metadata = new(RunSpecJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static async Task<Dictionary<string, string[]>> ValidateAsync(
        RunKind kind, JsonElement spec, RunLimits limits, SlmOpsDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];
        if (kind == RunKind.Sweep)
        {
            Fail("spec", "A sweep is submitted with POST /api/v1/sweeps (its spec is a SweepSpec); cloning a sweep is not supported.");
            return errors;
        }
        // PostgreSQL's jsonb refuses NUL; control and bidirectional characters have no place in a spec either.
        if (SafeJsonElementConverter.FindUnsafe(spec, "") is { } text)
        {
            Fail(text.Field.Length == 0 ? "spec" : text.Field, $"{text.Field} {text.Why}; remove it (NUL, control and bidirectional characters are not accepted).");
            return errors;
        }
        // Said before the unknown-field check, which would only call it unknown.
        if (kind is RunKind.PrepareDataset or RunKind.Evaluate && spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("distributed", out _))
        {
            Fail("distributed", "Only pretrain and fine-tune runs train data-parallel; prepare and evaluate runs use one device: remove 'distributed'.");
            return errors;
        }
        // A field the spec type does not have would be stored verbatim and silently ignored by the worker.
        UnknownFields(spec, SpecType(kind), "", Fail);
        if (errors.Count > 0) return errors;
        try
        {
            switch (kind)
            {
                case RunKind.PrepareDataset:
                {
                    var s = spec.Deserialize<PrepareDatasetSpec>(RunSpecJson.Options)!;
                    if (!await db.DatasetVersions.AnyAsync(v => v.Id == s.DatasetVersionId, ct))
                        Fail("datasetVersionId", $"Dataset version {s.DatasetVersionId} does not exist; upload a dataset first.");
                    if (!Tokenizers.Contains(s.TokenizerKind))
                        Fail("tokenizerKind", $"Use one of: {string.Join(", ", Tokenizers)}.");
                    if (s.ValidationFraction is <= 0 or >= 1)
                        Fail("validationFraction", "Must be between 0 and 1 (exclusive), e.g. 0.1.");
                    if (s.TokenizerFromBaseModelVersionId is { } bmv && !await db.BaseModelVersions.AnyAsync(v => v.Id == bmv, ct))
                        Fail("tokenizerFromBaseModelVersionId", $"Base model version {bmv} does not exist.");
                    break;
                }
                case RunKind.TrainBaseModel:
                {
                    var s = spec.Deserialize<PretrainSpec>(RunSpecJson.Options)!;
                    var version = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == s.DatasetVersionId, ct);
                    if (version is null) Fail("datasetVersionId", $"Dataset version {s.DatasetVersionId} does not exist.");
                    else if (version.PreparedArtifactSha256 is null)
                        Fail("datasetVersionId", $"Dataset version {s.DatasetVersionId} is not prepared yet; submit a prepare run for it first.");
                    ValidateSlug(s.BaseModelName, "baseModelName", Fail);
                    ValidateModel(s.Preset, s.Model, "preset", "model", Fail);
                    ValidateTraining(s.Training, limits, Fail);
                    ValidateDistributed(s.Distributed, limits, Fail);
                    break;
                }
                case RunKind.TrainTaskModel:
                {
                    var s = spec.Deserialize<FineTuneSpec>(RunSpecJson.Options)!;
                    var baseVersion = await db.BaseModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == s.BaseModelVersionId, ct);
                    if (baseVersion is null) Fail("baseModelVersionId", $"Base model version {s.BaseModelVersionId} does not exist.");
                    var version = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == s.DatasetVersionId, ct);
                    if (version is null) Fail("datasetVersionId", $"Dataset version {s.DatasetVersionId} does not exist.");
                    else if (version.PreparedArtifactSha256 is null)
                        Fail("datasetVersionId", $"Dataset version {s.DatasetVersionId} is not prepared yet; prepare it with the base model's tokenizer first.");
                    else if (baseVersion is not null) ValidateTokenizer(version, baseVersion, Fail);
                    ValidateSlug(s.TaskModelName, "taskModelName", Fail);
                    if (!TrainingMethods.TryParse(s.Method, out var method) || TrainingMethods.Name(method) != s.Method)
                        Fail("method", $"Use one of: {string.Join(", ", TrainingMethods.Names)}.");
                    if (!CouplingModes.Names.Contains(s.Coupling)) Fail("coupling", $"Use one of: {string.Join(", ", CouplingModes.Names)}.");
                    if (!Initializations.Contains(s.Initialization)) Fail("initialization", $"Use one of: {string.Join(", ", Initializations)}.");
                    if (TrainingMethods.TrainsSmallModel(method)) ValidateModel(s.SlmPreset, s.Slm, "slmPreset", "slm", Fail);
                    if (s.LoraRank < 1) Fail("loraRank", "Must be at least 1.");
                    if (baseVersion is not null) ValidatePeft(method, s, baseVersion, Fail);
                    if (method == TrainingMethod.PluginPeft && baseVersion is not null) await ValidatePluginSmallModelAsync(s, baseVersion, db, Fail, ct);
                    ValidateTraining(s.Training, limits, Fail);
                    ValidateDistributed(s.Distributed, limits, Fail);
                    if (method == TrainingMethod.PluginPeft && s.Distributed is { WorldSize: > 1 })
                        Fail("distributed.worldSize", "plugin-peft trains a small model and then the bridge in stages of its own and does not run data-parallel; remove 'distributed' or use another method.");
                    break;
                }
                case RunKind.Evaluate:
                {
                    var s = spec.Deserialize<EvaluateSpec>(RunSpecJson.Options)!;
                    BaseModelVersion? model = null;
                    if (s.BaseModelVersionId is null == s.SlmVersionId is null)
                        Fail("baseModelVersionId", "Give exactly one of baseModelVersionId or slmVersionId.");
                    else if (s.SlmVersionId is { } slmId)
                    {
                        var slm = await db.SlmVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == slmId, ct);
                        if (slm is null) Fail("slmVersionId", $"SLM version {slmId} does not exist.");
                        else model = await db.BaseModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == slm.BaseModelVersionId, ct);
                    }
                    else if ((model = await db.BaseModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == s.BaseModelVersionId, ct)) is null)
                        Fail("baseModelVersionId", $"Base model version {s.BaseModelVersionId} does not exist.");
                    var version = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == s.DatasetVersionId, ct);
                    if (version is null) Fail("datasetVersionId", $"Dataset version {s.DatasetVersionId} does not exist.");
                    else if (version.PreparedArtifactSha256 is null)
                        Fail("datasetVersionId", $"Dataset version {s.DatasetVersionId} is not prepared yet; prepare it with the model's tokenizer first.");
                    else if (model is not null) ValidateTokenizer(version, model, Fail);
                    Range("batches", s.Batches, 1, limits.MaxEvaluationBatches, nameof(RunLimits.MaxEvaluationBatches), Fail);
                    Range("batchSize", s.BatchSize, 1, limits.MaxBatchSize, nameof(RunLimits.MaxBatchSize), Fail);
                    Range("blockSize", s.BlockSize, 2, limits.MaxBlockSize, nameof(RunLimits.MaxBlockSize), Fail);
                    if (!System.Text.RegularExpressions.Regex.IsMatch(s.Device ?? "", "^(cpu|cuda(:[0-9]+)?)$"))
                        Fail("device", "Use cpu, cuda or cuda:N.");
                    break;
                }
            }
        }
        catch (JsonException error)
        {
            var field = string.IsNullOrEmpty(error.Path) ? "spec" : error.Path.TrimStart('$', '.');
            Fail(field, BadRequestDescriber.DescribeSpecError(error, spec));
        }
        return errors;
    }

    /// <summary>
    /// The PEFT methods' settings against the base model's shape (the rules live in Modeling's PeftLimits). A version whose
    /// stored architecture is not a readable model config gets the shape-free checks only; the worker checks the rest
    /// against the checkpoint before any training step.
    /// </summary>
    private static void ValidatePeft(TrainingMethod method, FineTuneSpec s, BaseModelVersion baseVersion, Action<string, string> fail)
    {
        if (method is not (TrainingMethod.Adapter or TrainingMethod.Prefix or TrainingMethod.PluginPeft)) return;
        var llm = StoredModelConfig(baseVersion);
        void Check(string field, string? problem)
        {
            if (problem is not null) fail(field, problem);
        }
        if (method is TrainingMethod.PluginPeft) Check("pluginModule", PeftLimits.PluginModule(s.PluginModule));
        if (method is TrainingMethod.Adapter || method is TrainingMethod.PluginPeft && s.PluginModule == "adapter")
            Check("adapterBottleneck", PeftLimits.AdapterBottleneck(llm?.Width ?? long.MaxValue, s.AdapterBottleneck));
        if (method is TrainingMethod.Prefix)
        {
            Check("prefixLength", PeftLimits.PrefixLength(llm?.BlockSize ?? int.MaxValue, s.PrefixLength));
            if (llm is not null) Check("training.blockSize", PeftLimits.PrefixBlockSize(llm.BlockSize, s.PrefixLength, s.Training.BlockSize));
        }
        if (method is not TrainingMethod.PluginPeft) return;
        if (llm is null)
        {
            if (s.PluginRatio < 1) fail("pluginRatio", $"The bridge's reduction factor r must be at least 1, got {s.PluginRatio}.");
            if (s.PluginSmallLayers < 1) fail("pluginSmallLayers", $"The small model needs at least one of the LLM's blocks, got {s.PluginSmallLayers}.");
            return;
        }
        Check("pluginRatio", PeftLimits.PluginRatio(llm, s.PluginRatio));
        Check("pluginSmallLayers", PeftLimits.PluginSmallLayers(llm, s.PluginSmallLayers));
    }

    /// <summary>
    /// plugin-peft's small model from the registry: it must exist (registry versions are shared by every team, so there is
    /// no team to check), read the LLM's ids (the one tokenizer rule, naming both hashes) and carry the modules.
    /// </summary>
    private static async Task ValidatePluginSmallModelAsync(FineTuneSpec s, BaseModelVersion llm, SlmOpsDbContext db, Action<string, string> fail, CancellationToken ct)
    {
        const string field = "pluginSmallBaseModelVersionId";
        if (s.PluginSmallBaseModelVersionId is not { } id) return;
        var small = await db.BaseModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        if (small is null)
        {
            fail(field, $"Base model version {id} does not exist; name a registered base model version, or leave the field out to use the LLM's first pluginSmallLayers blocks.");
            return;
        }
        if (SameTokenizer.Problem("small model", llm.TokenizerSha256, small.TokenizerSha256) is { } tokenizer)
        {
            fail(field, $"{tokenizer} Base model version {id} uses another tokenizer than base model version {llm.Id}.");
            return;
        }
        var llmConfig = StoredModelConfig(llm);
        var smallConfig = StoredModelConfig(small);
        if (llmConfig is null) return; // the worker checks the shape against the checkpoint before any step
        if (smallConfig is null)
        {
            fail(field, $"Base model version {id} records no readable model config, so it cannot be checked to carry plug-in modules; use a version trained by a pretrain run.");
            return;
        }
        if (PeftLimits.PluginSmallModel(llmConfig, smallConfig, s.PluginModule, s.AdapterBottleneck) is { } shape) fail(field, shape);
    }

    private static ModelConfig? StoredModelConfig(BaseModelVersion version)
    {
        try { return JsonSerializer.Deserialize<ModelConfig>(version.Architecture, StoredConfig); }
        catch (Exception error) when (error is JsonException or NotSupportedException or ArgumentException) { return null; }
    }

    /// <summary>Token files are only meaningful to the model whose tokenizer wrote them.</summary>
    private static void ValidateTokenizer(DatasetVersion version, BaseModelVersion model, Action<string, string> fail)
    {
        if (version.TokenizerSha256 is { } prepared && prepared != model.TokenizerSha256)
            fail("datasetVersionId", $"Dataset version {version.Id} was prepared with tokenizer {prepared}, but base model version {model.Id} " +
                $"uses tokenizer {model.TokenizerSha256}. Prepare it again with tokenizerFromBaseModelVersionId = {model.Id}.");
    }

    private static void ValidateSlug(string name, string field, Action<string, string> fail)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(name ?? "", "^[a-z0-9][a-z0-9-]{0,62}$"))
            fail(field, "Required: lowercase letters, digits and '-', at most 63 characters, e.g. 'shakespeare-llm'.");
    }

    private static void ValidateModel(string? preset, JsonElement? model, string presetField, string modelField, Action<string, string> fail)
    {
        if (model is { ValueKind: JsonValueKind.Object } config)
        {
            try { config.Deserialize<ModelConfig>(ModelingJson.Options)!.Validate(); }
            catch (Exception error) when (error is JsonException or ArgumentException or NotSupportedException)
            { fail(modelField, $"Not a valid model config: {error.Message}"); }
        }
        else if (preset is null) fail(presetField, $"Give a preset ({string.Join(", ", ModelPresets.Names)}) or a {modelField} config object.");
        else if (!ModelPresets.Names.Contains(preset)) fail(presetField, $"Unknown preset '{preset}'. Known: {string.Join(", ", ModelPresets.Names)}.");
    }

    private static void ValidateTraining(TrainingSpec t, RunLimits limits, Action<string, string> fail)
    {
        Range("training.steps", t.Steps, 1, limits.MaxSteps, nameof(RunLimits.MaxSteps), fail);
        Range("training.batchSize", t.BatchSize, 1, limits.MaxBatchSize, nameof(RunLimits.MaxBatchSize), fail);
        Range("training.blockSize", t.BlockSize, 2, limits.MaxBlockSize, nameof(RunLimits.MaxBlockSize), fail);
        if (t.LearningRate is { } rate && (!double.IsFinite(rate) || rate <= 0 || rate > limits.MaxLearningRate))
            fail("training.learningRate", $"Must be a finite number above 0 and at most {limits.MaxLearningRate.ToString(CultureInfo.InvariantCulture)} " +
                $"({RunLimits.Setting(nameof(RunLimits.MaxLearningRate))}), e.g. 3e-4; got {rate.ToString(CultureInfo.InvariantCulture)}.");
        if (t.WarmupSteps is < 0) fail("training.warmupSteps", "Must not be negative.");
        else if (t.WarmupSteps > limits.MaxSteps) fail("training.warmupSteps", $"Must be at most {limits.MaxSteps:N0} ({RunLimits.Setting(nameof(RunLimits.MaxSteps))}).");
        if (t.EvalEvery is < 0) fail("training.evalEvery", "Must not be negative (0 disables).");
        if (t.CheckpointEvery is < 0) fail("training.checkpointEvery", "Must not be negative (0 = only at the end).");
        if (!System.Text.RegularExpressions.Regex.IsMatch(t.Device ?? "", "^(cpu|cuda(:[0-9]+)?)$"))
            fail("training.device", "Use cpu, cuda or cuda:N.");
    }

    private static void ValidateDistributed(DistributedSpec? d, RunLimits limits, Action<string, string> fail)
    {
        if (d is null) return;
        if (d.WorldSize < 1) fail("distributed.worldSize", $"Must be at least 1 (1 = one device, N = N data-parallel ranks); got {d.WorldSize}.");
        else Range("distributed.worldSize", d.WorldSize, 1, limits.MaxWorldSize, nameof(RunLimits.MaxWorldSize), fail);
    }

    /// <summary>At least <paramref name="min"/> and at most the configured limit, which the message names.</summary>
    private static void Range(string field, int? value, int min, int max, string limit, Action<string, string> fail)
    {
        if (value is not { } v) return;
        if (v < min) fail(field, $"Must be at least {min}.");
        else if (v > max) fail(field, $"Must be at most {max.ToString("N0", CultureInfo.InvariantCulture)} ({RunLimits.Setting(limit)}); got {v.ToString("N0", CultureInfo.InvariantCulture)}.");
    }

    /// <summary>The spec field paths (dotted, camelCase) of a kind, e.g. "training.learningRate", nested objects included.</summary>
    public static IReadOnlyList<string> FieldPaths(RunKind kind) => Paths(SpecType(kind), "").ToList();

    private static IEnumerable<string> Paths(Type type, string path)
    {
        foreach (var property in Metadata.GetTypeInfo(type).Properties)
        {
            var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType != typeof(JsonElement) && Metadata.GetTypeInfo(propertyType).Kind == JsonTypeInfoKind.Object)
                foreach (var nested in Paths(propertyType, field)) yield return nested;
            else yield return field;
        }
    }

    /// <summary>Names every property of <paramref name="element"/> that <paramref name="type"/> does not have (any JSON record, e.g. a sweep spec).</summary>
    public static void UnknownFields(JsonElement element, Type type, Action<string, string> fail) => UnknownFields(element, type, "", fail);

    private static Type SpecType(RunKind kind) => kind switch
    {
        RunKind.PrepareDataset => typeof(PrepareDatasetSpec),
        RunKind.TrainBaseModel => typeof(PretrainSpec),
        RunKind.TrainTaskModel => typeof(FineTuneSpec),
        RunKind.Evaluate => typeof(EvaluateSpec),
        _ => throw new NotSupportedException($"Run kind {kind} has no spec."),
    };

    /// <summary>Names every property of <paramref name="element"/> that <paramref name="type"/> does not have, nested objects included.</summary>
    private static void UnknownFields(JsonElement element, Type type, string path, Action<string, string> fail)
    {
        if (element.ValueKind != JsonValueKind.Object) return;
        var info = Metadata.GetTypeInfo(type);
        foreach (var property in element.EnumerateObject())
        {
            var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            var known = info.Properties.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                fail(field, $"Unknown field '{property.Name}'; {(path.Length == 0 ? "the spec" : path)} has: {string.Join(", ", info.Properties.Select(p => p.Name))}.");
                continue;
            }
            var propertyType = Nullable.GetUnderlyingType(known.PropertyType) ?? known.PropertyType;
            if (propertyType != typeof(JsonElement) && Metadata.GetTypeInfo(propertyType).Kind == JsonTypeInfoKind.Object)
                UnknownFields(property.Value, propertyType, field, fail);
        }
    }
}
