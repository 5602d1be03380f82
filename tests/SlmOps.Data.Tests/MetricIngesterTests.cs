using Npgsql;
using SlmOps.Data.Metrics;
using SlmOps.Data.Tests.Infrastructure;

namespace SlmOps.Data.Tests;

public sealed class MetricIngesterTests(MigratedDatabase fixture) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private NpgsqlDataSource _dataSource = null!;
    private MetricIngester _ingester = null!;
    private Guid _runId;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        _ingester = new MetricIngester(_dataSource);
        _runId = await MetricRuns.CreateAsync(fixture.Database);
    }

    public async Task DisposeAsync()
    {
        await _ingester.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private List<MetricPoint> Points(string key, int fromStep, int count, Guid? runId = null) =>
        Enumerable.Range(fromStep, count).Select(s => new MetricPoint(runId ?? _runId, key, s, s / 8.0, T0.AddSeconds(s))).ToList();

    private Task<long> StoredAsync(string keyPrefix = "") => fixture.Database.ScalarAsync<long>(
        $"SELECT count(*) FROM run_metrics WHERE run_id = '{_runId}' AND key LIKE '{keyPrefix}%'");

    /// <summary>Starts every call at once, so that they queue together and share writes.</summary>
    private static Task<T[]> AllAtOnce<T>(int callers, Func<int, Task<T>> call)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, callers).Select(async i => { await start.Task; return await call(i); }).ToList();
        start.SetResult();
        return Task.WhenAll(calls);
    }

    [Fact]
    public async Task New_points_are_counted_and_resent_ones_are_not()
    {
        Assert.Equal(100, await _ingester.AppendAsync(Points("new/loss", 0, 100), CancellationToken.None));

        Assert.Equal(20, await _ingester.AppendAsync(Points("new/loss", 90, 30), CancellationToken.None));
        Assert.Equal(0, await _ingester.AppendAsync(Points("new/loss", 0, 120), CancellationToken.None));
        Assert.Equal(120, await StoredAsync("new/"));
    }

    [Fact]
    public async Task Concurrent_callers_each_get_the_count_of_their_own_new_points()
    {
        // Caller i has 10*i of its 1,000 points stored already, so each has a different, known number of new ones.
        for (var i = 0; i < 20; i++) await new RunMetricWriter(_dataSource).AppendAsync(Points($"own/{i}", 0, 10 * i), CancellationToken.None);

        var counts = await AllAtOnce(20, i => _ingester.AppendAsync(Points($"own/{i}", 0, 1000), CancellationToken.None));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => 1000 - 10 * i), counts);
        Assert.Equal(20_000, await StoredAsync("own/"));
    }

    [Fact]
    public async Task Overlapping_concurrent_callers_store_each_point_once_and_count_it_once()
    {
        // Caller i sends steps 500*i .. 500*i+999: half of them also sent by caller i+1.
        var counts = await AllAtOnce(20, i => _ingester.AppendAsync(Points("overlap/loss", 500 * i, 1000), CancellationToken.None));

        // Which caller is credited with a shared point depends on which write took it first; the total does not.
        Assert.Equal(10_500, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 0, 1000));
        Assert.Equal(10_500, await StoredAsync("overlap/"));
        Assert.Equal(10_500L, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(DISTINCT step) FROM run_metrics WHERE run_id = '{_runId}' AND key = 'overlap/loss'"));
    }

    [Fact]
    public async Task A_caller_naming_an_unknown_run_fails_alone()
    {
        var unknown = Guid.NewGuid();

        var calls = await AllAtOnce(11, async i =>
        {
            try
            {
                return (object)await _ingester.AppendAsync(Points($"bad/{i}", 0, 200, i == 5 ? unknown : null), CancellationToken.None);
            }
            catch (Exception error)
            {
                return error;
            }
        });

        var failure = Assert.IsType<UnknownRunException>(calls[5]);
        Assert.Equal([unknown], failure.RunIds);
        Assert.All(calls.Where((_, i) => i != 5), c => Assert.Equal(200, c));
        Assert.Equal(2000, await StoredAsync("bad/"));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM run_metrics WHERE run_id = '{unknown}'"));
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_and_the_others_are_written()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var others = Enumerable.Range(0, 5).Select(i => _ingester.AppendAsync(Points($"cancel/{i}", 0, 100), CancellationToken.None)).ToList();
        var gaveUp = _ingester.AppendAsync(Points("cancel/gave-up", 0, 100), cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        Assert.All(await Task.WhenAll(others), c => Assert.Equal(100, c));
    }

    [Fact]
    public async Task Disposing_writes_what_was_queued_and_refuses_more()
    {
        var queued = Enumerable.Range(0, 5).Select(i => _ingester.AppendAsync(Points($"dispose/{i}", 0, 100), CancellationToken.None)).ToList();

        await _ingester.DisposeAsync();

        Assert.All(await Task.WhenAll(queued), c => Assert.Equal(100, c));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _ingester.AppendAsync(Points("dispose/late", 0, 1), CancellationToken.None));
        Assert.Equal(500, await StoredAsync("dispose/"));
    }
}
