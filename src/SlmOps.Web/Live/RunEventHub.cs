using System.Collections.Concurrent;
using SlmOps.Contracts.Events;

namespace SlmOps.Web.Live;

/// <summary>
/// In-process fan-out of worker run events to the open dashboard circuits of this web instance. Each circuit
/// subscribes when its page initializes and disposes the subscription with the page.
/// </summary>
public sealed class RunEventHub(ILogger<RunEventHub> logger)
{
    private readonly ConcurrentDictionary<long, Func<IRunEvent, Task>> _subscribers = new();
    private long _nextId;

    public int SubscriberCount => _subscribers.Count;

    /// <summary>Calls <paramref name="onEvent"/> for every run event until the returned handle is disposed.</summary>
    /// <remarks>Handlers run on the relay's thread: keep them short (schedule work, do not query inline).</remarks>
    public IDisposable Subscribe(Func<IRunEvent, Task> onEvent)
    {
        var id = Interlocked.Increment(ref _nextId);
        _subscribers[id] = onEvent;
        return new Subscription(this, id);
    }

    public async Task PublishAsync(IRunEvent runEvent)
    {
        foreach (var (id, handler) in _subscribers)
        {
            try
            {
                await handler(runEvent);
            }
            catch (Exception error)
            {
                // One broken page must not keep the event from the others.
                logger.LogWarning(error, "Dashboard subscriber {Subscriber} failed on {Event} for run {RunId}",
                    id, runEvent.GetType().Name, runEvent.RunId);
            }
        }
    }

    private sealed class Subscription(RunEventHub hub, long id) : IDisposable
    {
        public void Dispose() => hub._subscribers.TryRemove(id, out _);
    }
}
