using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Serving;

/// <summary>
/// One base model version loaded for serving. <see cref="Scheduler"/> runs every generation that reads this LLM (alone or
/// composed with any SLM) in one continuous batch on its one thread, so libtorch never runs the same module on two threads.
/// </summary>
public sealed class ResidentLlm(long baseModelVersionId, string weightsSha256, FrozenLlm llm, ITokenizer tokenizer, long bytes, ServingOptions options)
    : IDisposable
{
    public long BaseModelVersionId { get; } = baseModelVersionId;
    public string WeightsSha256 { get; } = weightsSha256;
    public FrozenLlm Llm { get; } = llm;
    public ITokenizer Tokenizer { get; } = tokenizer;
    public long Bytes { get; } = bytes;
    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;
    public GenerationScheduler Scheduler { get; } = new(llm, options, $"slm-serving-{baseModelVersionId}");

    public void Dispose()
    {
        Scheduler.Dispose();
        Llm.Dispose();
    }
}
