using System.Collections.Concurrent;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// The benchmark's one long-lived thread for direct model work (the serving host's GenerationScheduler owns its own), in arrival order (one at a
/// time per LLM). libtorch keeps per-thread state: grad mode, dispose scopes, and the OpenMP team its parallel kernels
/// run on. A fresh thread per request paid for a new team on its first kernel, on the first-token path; this pays once.
/// </summary>
public sealed class InferenceThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public InferenceThread(string name)
    {
        _thread = new Thread(() => { foreach (var item in _work.GetConsumingEnumerable()) item(); }) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Queues <paramref name="work"/>. Cancelling drops it while it waits; once it has started it runs to the end
    /// (the caller's resources, e.g. an SLM lease, stay held until then).
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        const int queued = 0, started = 1, cancelled = 2;
        var state = queued;
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = ct.Register(() =>
        {
            if (Interlocked.CompareExchange(ref state, cancelled, queued) == queued) result.TrySetCanceled(ct);
        });
        _work.Add(() =>
        {
            using (registration)
            {
                if (Interlocked.CompareExchange(ref state, started, queued) != queued) return;
                try { result.SetResult(work()); }
                catch (Exception e) { result.SetException(e); }
            }
        }, CancellationToken.None);
        return result.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
        _work.Dispose();
    }
}
