using System.Collections.Concurrent;

namespace SlmOps.Worker.Runs;

/// <summary>
/// The cancellation sources of the runs this worker process is executing, by run id, so a CancelRun message
/// can stop a run at once; the executor's database check every heartbeat stays the fallback.
/// </summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    /// <summary>Registers the run while it executes; dispose the result before disposing the source.</summary>
    public IDisposable Register(Guid runId, CancellationTokenSource source)
    {
        _running[runId] = source;
        return new Registration(this, runId, source);
    }

    /// <summary>Signals the run's token; false when this process is not executing it.</summary>
    public bool TryCancel(Guid runId)
    {
        if (!_running.TryGetValue(runId, out var source)) return false;
        try { source.Cancel(); return true; }
        catch (ObjectDisposedException) { return false; } // it finished between the lookup and the cancel
    }

    private sealed class Registration(RunCancellations owner, Guid runId, CancellationTokenSource source) : IDisposable
    {
        public void Dispose() => owner._running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(runId, source));
    }
}
