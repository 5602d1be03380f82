using Microsoft.EntityFrameworkCore;
using Npgsql;
using SlmOps.Data.Entities;
using SlmOps.Data.Metrics;
using SlmOps.Data.Tests.Infrastructure;

namespace SlmOps.Data.Tests;

public sealed class RunMetricWriterTests(MigratedDatabase fixture) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private NpgsqlDataSource _dataSource = null!;
    private Guid _runId;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        _runId = await MetricRuns.CreateAsync(fixture.Database);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private RunMetricWriter Writer => new(_dataSource);

    private List<MetricPoint> Points(string key, int fromStep, int count, double offset = 0) =>
        Enumerable.Range(fromStep, count).Select(s => new MetricPoint(_runId, key, s, s / 8.0 + offset, T0.AddSeconds(s))).ToList();

    private async Task<List<RunMetric>> StoredAsync()
    {
        await using var context = fixture.Database.CreateContext();
        return await context.RunMetrics.Where(m => m.RunId == _runId).OrderBy(m => m.Key).ThenBy(m => m.Step).ToListAsync();
    }

    [Fact]
    public async Task Writes_every_point_with_its_value_and_time()
    {
        var inserted = await Writer.AppendAsync(Points("train/loss", 0, 10), CancellationToken.None);

        Assert.Equal(10, inserted);
        var stored = await StoredAsync();
        Assert.Equal(Enumerable.Range(0, 10).Select(s => (long)s), stored.Select(m => m.Step));
        Assert.Equal(0.375, stored[3].Value);
        Assert.Equal(T0.AddSeconds(3), stored[3].RecordedAt);
    }

    [Fact]
    public async Task Writing_the_same_batch_again_adds_and_changes_nothing()
    {
        await Writer.AppendAsync(Points("train/loss", 0, 50), CancellationToken.None);

        // Same identities, different values: a replayed step must not overwrite what was recorded first.
        var again = await Writer.AppendAsync(Points("train/loss", 0, 50, offset: 100), CancellationToken.None);

        Assert.Equal(0, again);
        var stored = await StoredAsync();
        Assert.Equal(50, stored.Count);
        Assert.All(stored, m => Assert.Equal(m.Step / 8.0, m.Value));
    }

    /// <summary>
    /// Two writers (e.g. two web instances) sending the same new points at once: whichever copies first stores them,
    /// the other's copy meets the first's rows, falls back to ON CONFLICT, and counts none of them again.
    /// </summary>
    [Fact]
    public async Task Two_writers_racing_with_the_same_new_points_store_and_count_each_point_once()
    {
        for (var round = 0; round < 10; round++)
        {
            var key = $"race/{round}";
            var counts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Writer.AppendAsync(Points(key, 0, 3000), CancellationToken.None))));

            Assert.Equal(3000, counts.Sum());
            Assert.Equal(3000, (await StoredAsync()).Count(m => m.Key == key));
        }
    }

    [Fact]
    public async Task An_overlapping_resumed_batch_adds_only_the_new_steps()
    {
        await Writer.AppendAsync(Points("train/loss", 0, 30), CancellationToken.None);

        var inserted = await Writer.AppendAsync(Points("train/loss", 20, 30), CancellationToken.None);

        Assert.Equal(20, inserted);
        Assert.Equal(Enumerable.Range(0, 50).Select(s => (long)s), (await StoredAsync()).Select(m => m.Step));
    }

    [Fact]
    public async Task Duplicates_inside_one_batch_are_stored_once()
    {
        var points = Points("val/loss", 0, 5);
        points.AddRange(Points("val/loss", 0, 5));

        Assert.Equal(5, await Writer.AppendAsync(points, CancellationToken.None));
        Assert.Equal(5, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task Keys_are_separate_series()
    {
        await Writer.AppendAsync(Points("train/loss", 0, 3), CancellationToken.None);

        Assert.Equal(3, await Writer.AppendAsync(Points("lr", 0, 3), CancellationToken.None));
        Assert.Equal(6, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task Batches_larger_than_one_statement_are_split_and_all_written()
    {
        var count = RunMetricWriter.BatchSize * 2 + 123;

        Assert.Equal(count, await Writer.AppendAsync(Points("tokens_per_s", 0, count), CancellationToken.None));
        Assert.Equal(0, await Writer.AppendAsync(Points("tokens_per_s", 0, count), CancellationToken.None));
        Assert.Equal(count, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task The_database_itself_rejects_a_duplicate_run_key_step()
    {
        await Writer.AppendAsync(Points("train/loss", 7, 1), CancellationToken.None);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO run_metrics (run_id, key, step, value) VALUES (@run, 'train/loss', 7, 1.0)", connection);
        insert.Parameters.AddWithValue("run", _runId);

        var error = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }

    [Fact]
    public async Task Points_of_a_deleted_run_go_with_it()
    {
        await Writer.AppendAsync(Points("train/loss", 0, 3), CancellationToken.None);
        await using var context = fixture.Database.CreateContext();

        await context.Runs.Where(r => r.Id == _runId).ExecuteDeleteAsync();

        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Points_of_a_run_that_does_not_exist_fail_naming_it_and_nothing_is_written()
    {
        var unknown = Guid.NewGuid();
        var points = Points("train/loss", 0, 10);
        points.Add(new MetricPoint(unknown, "train/loss", 0, 1.0, T0));

        var error = await Assert.ThrowsAsync<UnknownRunException>(() => Writer.AppendAsync(points, CancellationToken.None));

        Assert.Equal([unknown], error.RunIds);
        Assert.Contains(unknown.ToString(), error.Message);
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task A_failed_batch_leaves_nothing_staged_for_the_next_write_on_the_same_connection()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        var bad = Points("train/loss", 0, 10).Select(p => p with { RunId = Guid.NewGuid() }).ToList();
        await Assert.ThrowsAsync<UnknownRunException>(() => RunMetricWriter.AppendAsync(connection, bad, CancellationToken.None));

        Assert.Equal(3, await RunMetricWriter.AppendAsync(connection, Points("lr", 0, 3), CancellationToken.None));
        Assert.Equal(3, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task On_a_connection_in_a_transaction_the_write_joins_it()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.Equal(5, await RunMetricWriter.AppendAsync(connection, Points("train/loss", 0, 5), CancellationToken.None));
            // A second write in the same transaction sees only its own staged rows.
            Assert.Equal(2, await RunMetricWriter.AppendAsync(connection, Points("train/loss", 3, 4), CancellationToken.None));
            await transaction.RollbackAsync();
        }
        Assert.Empty(await StoredAsync());

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.Equal(5, await RunMetricWriter.AppendAsync(connection, Points("train/loss", 0, 5), CancellationToken.None));
            await transaction.CommitAsync();
        }
        Assert.Equal(5, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task A_transaction_begun_by_a_BEGIN_statement_is_joined_too()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using (var begin = new NpgsqlCommand("BEGIN", connection)) await begin.ExecuteNonQueryAsync();

        Assert.Equal(4, await RunMetricWriter.AppendAsync(connection, Points("train/loss", 0, 4), CancellationToken.None));

        await using (var rollback = new NpgsqlCommand("ROLLBACK", connection)) await rollback.ExecuteNonQueryAsync();
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Several_batches_written_together_each_count_their_new_points_the_first_sender_counting_a_shared_one()
    {
        await Writer.AppendAsync(Points("train/loss", 0, 10), CancellationToken.None);

        var counts = await Writer.AppendEachAsync(
            [Points("train/loss", 5, 10), Points("train/loss", 10, 10), Points("lr", 0, 3), []], CancellationToken.None);

        // Steps 10..14 are new in both of the first two batches: the first one stored them.
        Assert.Equal([5, 5, 3, 0], counts);
        Assert.Equal(23, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task An_empty_batch_does_not_touch_the_database()
    {
        await using var closed = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Timeout=1");

        Assert.Equal(0, await new RunMetricWriter(closed).AppendAsync([], CancellationToken.None));
    }
}
