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

    private int _users;

    /// <summary>Requests holding this LLM now (<see cref="Use"/>); it is never unloaded while any does.</summary>
    public int InUse => Volatile.Read(ref _users);

    public DateTimeOffset LastUsedAt { get; private set; } = DateTimeOffset.UtcNow;

    internal LlmLease Use()
    {
        Interlocked.Increment(ref _users);
        LastUsedAt = DateTimeOffset.UtcNow;
        return new LlmLease(this);
    }

    internal void Return() => Interlocked.Decrement(ref _users);

    public void Dispose()
    {
        Scheduler.Dispose();
        Llm.Dispose();
    }
}

/// <summary>A request's hold on a resident LLM: it stays loaded until every lease is disposed.</summary>
public sealed class LlmLease(ResidentLlm llm) : IDisposable
{
    private int _returned;

    public ResidentLlm Llm => llm;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _returned, 1) == 0) llm.Return();
    }
}
