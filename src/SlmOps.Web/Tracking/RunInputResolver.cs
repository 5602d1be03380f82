using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Tracking;

/// <summary>
/// Turns a claimed run's spec into the content addresses of its inputs, from the registry, so the worker fetches
/// files and never reads the database. Inputs that do not resolve raise <see cref="RunInputException"/> with what to do.
/// </summary>
public sealed class RunInputResolver(StoredFolders folders)
{
    public async Task<RunInputs> ResolveAsync(SlmOpsDbContext db, RunSpec spec, CancellationToken ct)
    {
        if (spec.Prepare is { } prepare)
        {
            var dataset = await DatasetAsync(db, prepare.DatasetVersionId, ct);
            string? tokenizer = null;
            if (prepare.TokenizerFromBaseModelVersionId is { } baseId) tokenizer = (await BaseAsync(db, baseId, ct)).TokenizerSha256;
            return new RunInputs
            {
                DatasetFile = new DatasetFileRef(dataset.Id, dataset.Sha256, dataset.Format.ToString().ToLowerInvariant()),
                TokenizerSha256 = tokenizer,
            };
        }
        if (spec.Pretrain is { } pretrain)
            return new RunInputs { Prepared = await PreparedAsync(db, await DatasetAsync(db, pretrain.DatasetVersionId, ct), ct) };
        if (spec.FineTune is { } fineTune)
        {
            var dataset = await DatasetAsync(db, fineTune.DatasetVersionId, ct);
            var llm = await BaseAsync(db, fineTune.BaseModelVersionId, ct);
            EnsureSameTokenizer(dataset, llm);
            // The worker checks the small model's tokenizer against the LLM's (the same rule the API validated with).
            var small = fineTune.Method == TrainingMethods.Name(TrainingMethod.PluginPeft) && fineTune.PluginSmallBaseModelVersionId is { } smallId
                ? await ModelAsync(db, await BaseAsync(db, smallId, ct), ct) : null;
            return new RunInputs { Prepared = await PreparedAsync(db, dataset, ct), BaseModel = await ModelAsync(db, llm, ct), PluginSmallModel = small };
        }
        if (spec.Evaluate is { } evaluate)
        {
            var dataset = await DatasetAsync(db, evaluate.DatasetVersionId, ct);
            ModelRef? module = null;
            BaseModelVersion llm;
            if (evaluate.SlmVersionId is { } slmId)
            {
                var slm = await db.SlmVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == slmId, ct)
                    ?? throw new RunInputException($"SLM version {slmId} does not exist.");
                llm = await BaseAsync(db, slm.BaseModelVersionId, ct);
                module = new ModelRef(slm.Id, await folders.ModuleManifestAsync(db, slm, ct), slm.WeightsSha256, null, MethodOf(slm.Architecture));
            }
            else
            {
                llm = await BaseAsync(db, evaluate.BaseModelVersionId ?? throw new RunInputException("The spec names neither baseModelVersionId nor slmVersionId."), ct);
            }
            EnsureSameTokenizer(dataset, llm);
            return new RunInputs { Prepared = await PreparedAsync(db, dataset, ct), BaseModel = await ModelAsync(db, llm, ct), Module = module };
        }
        throw new RunInputException("The run has no spec of a kind a worker executes.");
    }

    /// <summary>The fine-tune registration records {"method": ...} in the version's architecture; older rows are slm.</summary>
    public static TrainingMethod MethodOf(string architecture)
    {
        using var document = JsonDocument.Parse(architecture);
        return document.RootElement.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String
            && TrainingMethods.TryParse(method.GetString(), out var parsed) ? parsed : TrainingMethod.Slm;
    }

    private async Task<ModelRef> ModelAsync(SlmOpsDbContext db, BaseModelVersion llm, CancellationToken ct) =>
        new(llm.Id, await folders.ModelManifestAsync(db, llm, ct), llm.WeightsSha256, llm.TokenizerSha256);

    private async Task<FolderRef> PreparedAsync(SlmOpsDbContext db, DatasetVersion dataset, CancellationToken ct) =>
        new(dataset.Id, await folders.PreparedAsync(db, dataset.PreparedArtifactSha256
            ?? throw new RunInputException($"Dataset version {dataset.Id} is not prepared; submit a prepare run for it first."), ct));

    private static async Task<DatasetVersion> DatasetAsync(SlmOpsDbContext db, long id, CancellationToken ct) =>
        await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct)
            ?? throw new RunInputException($"Dataset version {id} does not exist.");

    private static async Task<BaseModelVersion> BaseAsync(SlmOpsDbContext db, long id, CancellationToken ct) =>
        await db.BaseModelVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct)
            ?? throw new RunInputException($"Base model version {id} does not exist.");

    /// <summary>A model can only read token files written with its own tokenizer.</summary>
    private static void EnsureSameTokenizer(DatasetVersion dataset, BaseModelVersion model)
    {
        if (dataset.TokenizerSha256 is { } prepared && prepared != model.TokenizerSha256)
            throw new RunInputException(
                $"Dataset version {dataset.Id} was prepared with tokenizer {prepared}, but base model version {model.Id} uses tokenizer " +
                $"{model.TokenizerSha256}. Prepare it again with tokenizerFromBaseModelVersionId = {model.Id} and resubmit.");
    }
}
