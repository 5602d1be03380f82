using System.Threading.Channels;
using Npgsql;

namespace SlmOps.Data.Metrics;

/// <summary>
/// Metric points from many concurrent callers (the web host's worker endpoints) written together: one loop takes
/// every request waiting, up to <see cref="MaxPointsPerWrite"/> points, and writes them with one COPY and one
/// INSERT, so a burst of small batches costs one transaction (one WAL flush) instead of one each. Each caller
/// learns how many of its own points were new.
/// </summary>
/// <remarks>
/// If a combined write fails (one request names an unknown run, say), each of its requests is written again on
/// its own, so only the request at fault gets the error. The loop keeps one connection open between writes: a
/// connection returned to the pool is reset (DISCARD ALL) and would recreate the staging table every write.
/// </remarks>
public sealed class MetricIngester : IAsyncDisposable, IDisposable
{
    /// <summary>Points per combined write at most; a larger single request is written alone (and split by the writer).</summary>
    public const int MaxPointsPerWrite = 50_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private NpgsqlConnection? _connection;

    public MetricIngester(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>
    /// Writes the points together with other callers' and returns how many of them were new. A point sent by two
    /// callers at once counts for the one queued first. Cancelling stops the wait; points already taken into a
    /// write are still written (resending them is harmless).
    /// </summary>
    public Task<int> AppendAsync(IReadOnlyCollection<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return Task.FromResult(0);
        }

        var request = new Request(points, cancellationToken);
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(MetricIngester));
        }

        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Takes no more requests, writes those already queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _loop;
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking; for a host disposed synchronously.</summary>
    public void Dispose()
    {
        _requests.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
    }

    private async Task LoopAsync()
    {
        var reader = _requests.Reader;
        Request? carried = null;
        while (carried is not null || await reader.WaitToReadAsync())
        {
            var taken = new List<Request>();
            var points = 0;
            while ((carried ?? (reader.TryRead(out var next) ? next : null)) is { } request)
            {
                carried = null;
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Completion.TrySetCanceled(request.CancellationToken);
                    continue;
                }

                if (taken.Count > 0 && points + request.Points.Count > MaxPointsPerWrite)
                {
                    carried = request;
                    break;
                }

                taken.Add(request);
                points += request.Points.Count;
            }

            if (taken.Count > 0)
            {
                await WriteAsync(taken);
            }
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task WriteAsync(List<Request> taken)
    {
        try
        {
            var counts = await AppendEachAsync(taken.Select(r => r.Points).ToList());
            for (var i = 0; i < taken.Count; i++) taken[i].Completion.TrySetResult(counts[i]);
        }
        catch (Exception) when (taken.Count > 1)
        {
            // Someone's request spoilt the whole write; find out whose by writing each alone.
            foreach (var request in taken)
            {
                try
                {
                    request.Completion.TrySetResult((await AppendEachAsync([request.Points]))[0]);
                }
                catch (Exception own)
                {
                    request.Completion.TrySetException(own);
                }
            }
        }
        catch (Exception error)
        {
            taken[0].Completion.TrySetException(error);
        }
    }

    /// <summary>
    /// One write on the loop's connection, opened when missing. Not cancelled by any caller: the write is shared.
    /// After a failure the connection is dropped (it may be broken) and the next write opens another.
    /// </summary>
    private async Task<int[]> AppendEachAsync(IReadOnlyList<IReadOnlyCollection<MetricPoint>> batches)
    {
        _connection ??= await _dataSource.OpenConnectionAsync(CancellationToken.None);
        try
        {
            return await RunMetricWriter.AppendEachAsync(_connection, batches, CancellationToken.None);
        }
        catch (Exception error) when (error is not UnknownRunException)
        {
            await _connection.DisposeAsync();
            _connection = null;
            throw;
        }
    }

    private sealed record Request(IReadOnlyCollection<MetricPoint> Points, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
