using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Jobs;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>Tokenizes an uploaded dataset file into train/val token files and uploads them as one folder.</summary>
public sealed class PrepareHandler : IRunHandler
{
    public RunOutput? Execute(RunContext context)
    {
        var spec = context.Assignment.Spec.Prepare!;
        var input = context.Assignment.Inputs.DatasetFile ?? throw new InvalidOperationException("The claim named no dataset file.");
        var documents = DatasetDocuments.Read(context.File(input.Sha256), input.Format);
        DatasetDocuments.EnsureEnough(documents, input.DatasetVersionId, input.Format);
        var tokenizerPath = context.Assignment.Inputs.TokenizerSha256 is { } tokenizer ? context.File(tokenizer) : null;
        var output = context.Folders.CleanOutputDir();
        var prepared = DatasetPreparation.Prepare(documents, output, new DatasetPreparationSpec
        {
            TokenizerKind = spec.TokenizerKind, BpeVocabSize = spec.BpeVocabSize ?? 4096, ValidationFraction = spec.ValidationFraction,
        }, tokenizerPath);
        context.Report(1, 1, null, null, null);
        Sha256Manifest.Write(output);
        var (manifest, files) = context.UploadFolder(output);
        var relativeTokenizer = Path.GetRelativePath(output, prepared.TokenizerPath).Replace('\\', '/');
        return new RunOutput(Prepared: new(manifest, files[relativeTokenizer], prepared.TrainTokens + prepared.ValTokens, documents.Count, files));
    }
}
