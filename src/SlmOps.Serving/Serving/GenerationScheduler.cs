using System.Threading.Channels;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Peft;

namespace SlmOps.Serving;

/// <summary>
/// Continuous batching over one resident LLM, on that LLM's one long-lived inference thread (libtorch's grad mode,
/// dispose scopes and OpenMP team are per thread). Requests for any SLM version of this LLM, or for the LLM alone, join
/// the running batch at the next step boundary; each step runs one LLM forward over every active sequence and then each
/// SLM version over its own rows (<see cref="BatchDecoder"/>). A finished sequence leaves at once, and so does one whose
/// caller went away. At most <see cref="ServingOptions.MaxBatch"/> sequences run together and at most
/// <see cref="ServingOptions.MaxQueued"/> wait; beyond that <see cref="Submit"/> refuses with <see cref="ServingBusyException"/>.
/// </summary>
public sealed class GenerationScheduler : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<Generation> _waiting = new();
    private readonly List<Generation> _active = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly FrozenLlm _llm;
    private readonly PrefixSet? _prefix;
    private readonly ServingOptions _options;
    private readonly Thread _thread;
    private long _steps;

    /// <param name="prefix">A prefix version's prefix: every sequence on this LLM reads it before its text.</param>
    public GenerationScheduler(FrozenLlm llm, ServingOptions options, string name, PrefixSet? prefix = null)
    {
        _llm = llm;
        _prefix = prefix;
        _options = options;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Sequences generating now, and waiting to join.</summary>
    public (int Active, int Waiting, long Steps) Load
    {
        get { lock (_gate) return (_active.Count, _waiting.Count, _steps); }
    }

    /// <summary>
    /// Queues one sequence. Its tokens arrive on <see cref="Generation.Tokens"/> as they are sampled; cancelling
    /// <paramref name="ct"/> makes it leave the batch at the next step boundary. <paramref name="hold"/> (an SLM lease) is
    /// disposed once the sequence has left the batch, never earlier, so the SLM stays loaded while it is read.
    /// </summary>
    public Generation Submit(IReadOnlyList<int> prompt, SlmFollower? follower, GenerationOptions options, IDisposable? hold, CancellationToken ct)
    {
        var generation = new Generation(prompt, follower, options, hold, ct);
        generation.CancelRegistration = ct.Register(() => _signal.Release());
        lock (_gate)
        {
            if (_active.Count + _waiting.Count >= _options.MaxBatch + _options.MaxQueued)
            {
                generation.CancelRegistration.Dispose();
                throw new ServingBusyException(
                    $"{_active.Count} sequences are generating on this LLM and {_waiting.Count} are waiting (Serving:MaxBatch {_options.MaxBatch}, " +
                    $"Serving:MaxQueued {_options.MaxQueued}); retry after a few seconds.", RetryAfterSeconds: 2);
            }
            _waiting.Enqueue(generation);
        }
        _signal.Release();
        return generation;
    }

    private void Run()
    {
        using var decoder = new BatchDecoder(_llm, _prefix);
        var decoding = new Dictionary<DecodeSequence, Generation>(ReferenceEqualityComparer.Instance);
        while (!_stopping.IsCancellationRequested)
        {
            if (decoding.Count == 0)
            {
                try { _signal.Wait(_stopping.Token); }
                catch (OperationCanceledException) { break; }
            }
            JoinWaiting(decoder, decoding);
            LeaveCancelled(decoder, decoding);
            if (decoding.Count == 0) continue;
            IReadOnlyList<DecodedToken> step;
            try
            {
                step = decoder.Step();
            }
            catch (Exception error)
            {
                // A failed step leaves nothing trustworthy in the batch: every sequence in it fails with the reason.
                foreach (var (sequence, generation) in decoding)
                {
                    decoder.Leave(sequence);
                    Finish(generation, error);
                }
                decoding.Clear();
                continue;
            }
            lock (_gate) _steps++;
            foreach (var token in step)
            {
                var generation = decoding[token.Sequence];
                generation.Writer.TryWrite(token.Token);
                if (!token.Finished) continue;
                decoding.Remove(token.Sequence);
                Finish(generation, null);
            }
        }
        foreach (var generation in decoding.Values) Finish(generation, new OperationCanceledException("The serving host is stopping."));
    }

    private void JoinWaiting(BatchDecoder decoder, Dictionary<DecodeSequence, Generation> decoding)
    {
        lock (_gate)
        {
            while (_waiting.Count > 0 && decoding.Count < _options.MaxBatch)
            {
                var generation = _waiting.Dequeue();
                if (generation.Cancellation.IsCancellationRequested)
                {
                    FinishCancelled(generation);
                    continue;
                }
                try
                {
                    var sequence = decoder.Join(generation.Prompt, generation.Follower, generation.Options);
                    decoding[sequence] = generation;
                    _active.Add(generation);
                }
                catch (Exception error)
                {
                    Finish(generation, error);
                }
            }
        }
    }

    private void LeaveCancelled(BatchDecoder decoder, Dictionary<DecodeSequence, Generation> decoding)
    {
        foreach (var (sequence, generation) in decoding.Where(d => d.Value.Cancellation.IsCancellationRequested).ToList())
        {
            decoder.Leave(sequence);
            decoding.Remove(sequence);
            FinishCancelled(generation);
        }
    }

    private void FinishCancelled(Generation generation) => Finish(generation, new OperationCanceledException(generation.Cancellation));

    private void Finish(Generation generation, Exception? error)
    {
        lock (_gate) _active.Remove(generation);
        generation.CancelRegistration.Dispose();
        generation.Hold?.Dispose();
        generation.Writer.TryComplete(error);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        if (Thread.CurrentThread != _thread) _thread.Join();
        lock (_gate)
        {
            while (_waiting.TryDequeue(out var generation)) Finish(generation, new OperationCanceledException("The serving host is stopping."));
        }
        _stopping.Dispose();
    }
}

/// <summary>One sequence in a <see cref="GenerationScheduler"/>: its tokens as they are sampled, completed when it leaves.</summary>
public sealed class Generation
{
    private readonly Channel<int> _tokens = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    internal Generation(IReadOnlyList<int> prompt, SlmFollower? follower, GenerationOptions options, IDisposable? hold, CancellationToken cancellation)
    {
        Prompt = prompt;
        Follower = follower;
        Options = options;
        Hold = hold;
        Cancellation = cancellation;
    }

    /// <summary>Token ids in order; completes when the sequence has its tokens, faults with the reason it stopped otherwise.</summary>
    public ChannelReader<int> Tokens => _tokens.Reader;

    internal ChannelWriter<int> Writer => _tokens.Writer;
    internal IReadOnlyList<int> Prompt { get; }
    internal SlmFollower? Follower { get; }
    internal GenerationOptions Options { get; }
    internal IDisposable? Hold { get; }
    internal CancellationToken Cancellation { get; }
    internal CancellationTokenRegistration CancelRegistration { get; set; }
}

/// <summary>The scheduler's queue is full: answered 429 with Retry-After.</summary>
public sealed class ServingBusyException(string message, int RetryAfterSeconds) : Exception(message)
{
    public int RetryAfterSeconds { get; } = RetryAfterSeconds;
}
