namespace SlmOps.Web.Live;

/// <summary>
/// Turns a burst of events into at most one refresh per <c>interval</c>: the first request schedules a refresh,
/// requests arriving before it runs are folded into it, and a request arriving during a refresh schedules the next.
/// </summary>
public sealed class ThrottledRefresh(Func<Task> refresh, TimeSpan interval) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _scheduled;

    public void Request()
    {
        if (_stop.IsCancellationRequested || Interlocked.Exchange(ref _scheduled, 1) == 1) return;
        _ = RunAsync();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(interval, _stop.Token);
            Volatile.Write(ref _scheduled, 0);
            await refresh();
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
        catch (ObjectDisposedException)
        {
            // The page went away while the refresh was scheduled.
        }
    }
}
