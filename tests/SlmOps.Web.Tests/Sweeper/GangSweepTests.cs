using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Web.Sweeper;
using SlmOps.Web.Tracking.Gangs;

namespace SlmOps.Web.Tests.Sweeper;

/// <summary>
/// Issue 14: what the sweeper does with gang-scheduled runs (run_ranks), against the real schema: a gang that did not
/// form within the join timeout is released without using an attempt; a formed gang one of whose ranks stopped
/// heart-beating is re-queued like a run whose worker was lost, naming that rank's worker.
/// </summary>
public sealed class GangSweepTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private RecordingDispatcher _dispatcher = null!;
    private readonly SweeperOptions _options = new() { HeartbeatTimeout = TimeSpan.FromSeconds(60), DispatchTimeout = TimeSpan.FromSeconds(120) };
    private readonly GangOptions _gangs = new() { JoinTimeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync("gangsweep");
        _dispatcher = new RecordingDispatcher(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_gang_that_did_not_form_within_the_join_timeout_is_released_without_using_an_attempt()
    {
        var id = await RunningGangAsync(attempt: 2, worker: "box-a");
        await RankAsync(id, 2, 0, "box-a", claimedAgo: "45 seconds", joined: false, address: "10.0.0.5:4242");
        await RankAsync(id, 2, 1, null, claimedAgo: null, joined: false);

        var result = await Sweeper().SweepAsync(CancellationToken.None);

        Assert.Equal([id], result.ReleasedGangs);
        Assert.Empty(result.Requeued);
        Assert.Equal([id], _dispatcher.Calls);
        Assert.Equal("Queued", await _database.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", id));
        Assert.Equal(1, await _database.ScalarAsync<int>("SELECT attempt FROM runs WHERE id = $1", id)); // attempt 2 starts again
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM run_ranks WHERE run_id = $1", id));
        var message = await _database.ScalarAsync<string>("SELECT message FROM run_events WHERE run_id = $1", id);
        Assert.Contains("The gang of 2 ranks did not form", message);
        Assert.Contains("1 of 2 ranks were claimed (rank 0 on box-a), 0 joined", message);
        Assert.Contains("10.0.0.5:4242", message);
        Assert.Contains("Runs:Gang:JoinTimeout", message);
    }

    [Fact]
    public async Task A_gang_still_within_its_join_timeout_or_formed_is_left_alone()
    {
        var forming = await RunningGangAsync(attempt: 1, worker: "box-a");
        await RankAsync(forming, 1, 0, "box-a", claimedAgo: "5 seconds", joined: false);
        await RankAsync(forming, 1, 1, null, claimedAgo: null, joined: false);
        var formed = await RunningGangAsync(attempt: 1, worker: "box-c");
        await RankAsync(formed, 1, 0, "box-c", claimedAgo: "10 minutes", joined: true);
        await RankAsync(formed, 1, 1, "box-d", claimedAgo: "10 minutes", joined: true);

        var result = await Sweeper().SweepAsync(CancellationToken.None);

        Assert.Empty(result.ReleasedGangs!);
        Assert.Empty(result.Requeued);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM runs WHERE status <> 'Running'"));
        Assert.Equal(4L, await _database.ScalarAsync<long>("SELECT count(*) FROM run_ranks"));
    }

    [Fact]
    public async Task A_formed_gang_whose_rank_stopped_heart_beating_is_requeued_naming_that_ranks_worker()
    {
        var id = await RunningGangAsync(attempt: 1, worker: "box-a");
        await RankAsync(id, 1, 0, "box-a", claimedAgo: "10 minutes", joined: true);
        await RankAsync(id, 1, 1, "box-b", claimedAgo: "10 minutes", joined: true, heartbeatAgo: "5 minutes");

        var result = await Sweeper().SweepAsync(CancellationToken.None);

        Assert.Equal([id], result.Requeued);
        Assert.Equal("Queued", await _database.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", id));
        Assert.Equal(1, await _database.ScalarAsync<int>("SELECT attempt FROM runs WHERE id = $1", id)); // the next is attempt 2
        var message = await _database.ScalarAsync<string>("SELECT message FROM run_events WHERE run_id = $1", id);
        Assert.Contains("worker 'box-b' of rank 1 stopped heart-beating", message);
        Assert.Contains("re-queued for attempt 2 of 3", message);
    }

    private RunSweeper Sweeper() => new(_database.DataSource, _dispatcher, _options, TimeProvider.System, NullLogger<RunSweeper>.Instance, null, _gangs);

    /// <summary>A Running pretrain of world size 2 whose own heartbeat (rank 0's) is fresh.</summary>
    private Task<Guid> RunningGangAsync(int attempt, string worker) => _database.ScalarAsync<Guid>(
        """
        INSERT INTO runs (kind, status, attempt, max_attempts, worker_name, heartbeat_at, queued_at, started_at, created_by, config)
        VALUES ('TrainBaseModel', 'Running', $1, 3, $2, now(), now() - interval '1 hour', now() - interval '10 minutes', 'tests',
                '{"distributed": {"worldSize": 2}}')
        RETURNING id
        """, attempt, worker);

    private Task RankAsync(Guid run, int attempt, int rank, string? worker, string? claimedAgo, bool joined, string? heartbeatAgo = null, string? address = null) =>
        _database.ExecuteAsync(
            """
            INSERT INTO run_ranks (run_id, attempt, rank, world_size, worker_name, device, store_address, claimed_at, joined_at, heartbeat_at)
            VALUES ($1, $2, $3, 2, $4::text, CASE WHEN $4::text IS NULL THEN NULL ELSE 'cpu' END, $5::text,
                    now() - $6::interval, CASE WHEN $7 THEN now() - $6::interval END, now() - COALESCE($8::interval, interval '1 second'))
            """,
            run, attempt, rank, (object?)worker ?? DBNull.Value, (object?)address ?? DBNull.Value, (object?)claimedAgo ?? DBNull.Value, joined,
            (object?)heartbeatAgo ?? DBNull.Value);
}
