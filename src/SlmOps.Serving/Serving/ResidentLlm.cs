using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Serving;

/// <summary>
/// One base model version loaded for serving. <see cref="Scheduler"/> runs every generation that reads this LLM (alone or
/// composed with any SLM) in one continuous batch on its one thread, so libtorch never runs the same module on two threads.
/// An instance loaded for a PEFT task version has that version's modules attached (<see cref="Modules"/>) and serves only
/// it: the modules act inside the LLM's forward (or, for a prefix, hold the first positions of its every window), so they
/// cannot share a batch with other sequences.
/// </summary>
public sealed class ResidentLlm(long baseModelVersionId, string weightsSha256, FrozenLlm llm, ITokenizer tokenizer, long bytes, ServingOptions options,
    IAttachedModules? modules = null, long? moduleVersionId = null)
    : IDisposable
{
    public long BaseModelVersionId { get; } = baseModelVersionId;
    /// <summary>The SLM version whose modules are attached (null: the LLM alone, shared by its followers).</summary>
    public long? ModuleVersionId { get; } = moduleVersionId;
    public IAttachedModules? Modules { get; } = modules;
    public LlmKey Key => new(BaseModelVersionId, ModuleVersionId);
    public string WeightsSha256 { get; } = weightsSha256;
    public FrozenLlm Llm { get; } = llm;
    public ITokenizer Tokenizer { get; } = tokenizer;
    public long Bytes { get; } = bytes;
    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;
    public GenerationScheduler Scheduler { get; } = new(llm, options, $"slm-serving-{baseModelVersionId}{(moduleVersionId is { } m ? $"+{m}" : "")}", modules?.Prefix);

    /// <summary>Window positions a prefix version's prefix holds before the text (0: none).</summary>
    public int PrefixLength => Modules?.Prefix?.Length ?? 0;

    /// <summary>Tokens of text a sequence reads at once: the LLM's window, less the prefix's positions.</summary>
    public int TextWindow => Llm.BlockSize - PrefixLength;

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
        if (Modules is not null)
        {
            Modules.DetachFrom();
            Modules.Dispose();
        }
        Llm.Dispose();
    }
}

/// <summary>What a resident LLM is: a base model version, alone or with one PEFT version's modules attached.</summary>
public readonly record struct LlmKey(long BaseModelVersionId, long? ModuleVersionId);

/// <summary>A PEFT task version to serve as its LLM plus its modules.</summary>
public sealed record AttachedVersion(long SlmVersionId, string Method, string WeightsSha256);

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
