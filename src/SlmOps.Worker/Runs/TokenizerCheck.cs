using SlmOps.Data.Entities;

namespace SlmOps.Worker.Runs;

/// <summary>A model can only read token files written with its own tokenizer (tokenizer sha256 = sha256 of its canonical JSON).</summary>
public static class TokenizerCheck
{
    public static void EnsureSame(DatasetVersion dataset, BaseModelVersion model)
    {
        if (dataset.TokenizerSha256 is { } prepared && prepared != model.TokenizerSha256)
            throw new InvalidOperationException(
                $"Dataset version {dataset.Id} was prepared with tokenizer {prepared}, but base model version {model.Id} uses tokenizer " +
                $"{model.TokenizerSha256}. Prepare it again with tokenizerFromBaseModelVersionId = {model.Id} and resubmit.");
    }
}
