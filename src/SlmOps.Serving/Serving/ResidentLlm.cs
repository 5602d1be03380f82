using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Serving;

/// <summary>
/// One base model version loaded for serving. <see cref="Inference"/> runs every generation that reads this LLM (alone or
/// composed with any SLM) on its one thread, so libtorch never runs the same module on two threads.
/// </summary>
public sealed class ResidentLlm(long baseModelVersionId, string weightsSha256, FrozenLlm llm, ITokenizer tokenizer, long bytes) : IDisposable
{
    public long BaseModelVersionId { get; } = baseModelVersionId;
    public string WeightsSha256 { get; } = weightsSha256;
    public FrozenLlm Llm { get; } = llm;
    public ITokenizer Tokenizer { get; } = tokenizer;
    public long Bytes { get; } = bytes;
    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;
    public InferenceThread Inference { get; } = new($"slm-serving-{baseModelVersionId}");

    public void Dispose()
    {
        Inference.Dispose();
        Llm.Dispose();
    }
}
