using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Web.Sweeper;

namespace SlmOps.Web.Tests.Sweeper;

/// <summary>One sweep pass against the real PostgreSQL schema, with a dispatcher that records what it was asked to send.</summary>
public sealed class RunSweeperTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private RecordingDispatcher _dispatcher = null!;
    private readonly SweeperOptions _options = new()
    {
        HeartbeatTimeout = TimeSpan.FromSeconds(60),
        DispatchTimeout = TimeSpan.FromSeconds(120),
    };

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync("sweeper");
        _dispatcher = new RecordingDispatcher(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_running_run_whose_heartbeat_is_stale_is_requeued_logged_and_dispatched_again()
    {
        var id = await InsertRunAsync("Running", attempt: 1, maxAttempts: 3, heartbeatAgo: "5 minutes", worker: "gpu-box-1");

        var result = await Sweeper().SweepAsync(CancellationToken.None);

        Assert.Equal([id], result.Requeued);
        Assert.Empty(result.Failed);
        Assert.Equal([id], _dispatcher.Calls);
        Assert.Equal("Queued", await StatusAsync(id));
        Assert.True(await _database.ScalarAsync<bool>(
            "SELECT worker_name IS NULL AND heartbeat_at IS NULL AND dispatched_at IS NOT NULL AND queued_at > now() - interval '1 minute' FROM runs WHERE id = $1",
            id));
        var (level, message) = await SingleEventAsync(id);
        Assert.Equal("warning", level);
        Assert.Contains("'gpu-box-1' stopped heart-beating", message);
        Assert.Contains("attempt 2 of 3", message);
    }

    [Fact]
    public async Task A_running_run_with_a_fresh_heartbeat_is_left_alone()
    {
        var id = await InsertRunAsync("Running", attempt: 1, maxAttempts: 3, heartbeatAgo: "5 seconds", worker: "gpu-box-1");

        var result = await Sweeper().SweepAsync(CancellationToken.None);

        Assert.Empty(result.Requeued);
        Assert.Empty(_dispatcher.Calls);
        Assert.Equal("Running", await StatusAsync(id));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1", id));
    }

    [Fact]
    public async Task A_lost_run_that_used_all_its_attempts_fails_with_an_error_saying_so()
    {
        var id = await InsertRunAsync("Running", attempt: 3, maxAttempts: 3, heartbeatAgo: "5 minutes", worker: "cpu-box");

        var result = await Sweeper().SweepAsync(CancellationToken.None);

        Assert.Equal([id], result.Failed);
        Assert.Empty(result.Requeued);
        Assert.Empty(_dispatcher.Calls);
        Assert.Equal("Failed", await StatusAsync(id));
        var error = await _database.ScalarAsync<string>("SELECT error FROM runs WHERE id = $1 AND finished_at IS NOT NULL", id);
        Assert.Contains("The 3 of 3 allowed attempts was lost", error);
        Assert.Contains("Submit the run again", error);
        var (level, message) = await SingleEventAsync(id);
        Assert.Equal("error", level);
        Assert.Contains("all 3 attempts are used", message);
    }

    [Fact]
    public async Task A_lost_run_with_a_pending_cancel_is_cancelled_rather_than_requeued()
    {
        var id = await InsertRunAsync("Running", attempt: 1, maxAttempts: 3, heartbeatAgo: "5 minutes", worker: "w");
        await _database.ExecuteAsync("UPDATE runs SET cancel_requested_at = now() WHERE id = $1", id);

        await Sweeper().SweepAsync(CancellationToken.None);

        Assert.Equal("Cancelled", await StatusAsync(id));
        Assert.Empty(_dispatcher.Calls);
    }

    [Fact]
    public async Task Queued_runs_not_claimed_within_the_dispatch_timeout_are_dispatched_again()
    {
        var lost = await InsertRunAsync("Queued", dispatchedAgo: "10 minutes");
        var neverSent = await InsertRunAsync("Queued", queuedAgo: "10 minutes");
        var justSent = await InsertRunAsync("Queued", queuedAgo: "10 minutes", dispatchedAgo: "10 seconds");
        var justQueued = await InsertRunAsync("Queued", queuedAgo: "10 seconds");
        var finished = await InsertRunAsync("Succeeded", queuedAgo: "1 day", dispatchedAgo: "1 day");

        var result = await Sweeper().SweepAsync(CancellationToken.None);

        Assert.Equal(new[] { lost, neverSent }.Order(), result.Redispatched.Order());
        Assert.Equal(new[] { lost, neverSent }.Order(), _dispatcher.Calls.Order());
        Assert.DoesNotContain(justSent, _dispatcher.Calls);
        Assert.DoesNotContain(justQueued, _dispatcher.Calls);
        Assert.DoesNotContain(finished, _dispatcher.Calls);
    }

    [Fact]
    public async Task A_dispatch_that_throws_does_not_stop_the_sweep_and_the_run_stays_queued()
    {
        var first = await InsertRunAsync("Queued", queuedAgo: "10 minutes");
        var second = await InsertRunAsync("Queued", queuedAgo: "9 minutes");
        var throwing = new ThrowingDispatcher(first, _dispatcher);

        var result = await Sweeper(throwing).SweepAsync(CancellationToken.None);

        Assert.Equal([second], result.Redispatched);
        Assert.Equal("Queued", await StatusAsync(first));
    }

    private RunSweeper Sweeper(Web.Runs.IRunDispatcher? dispatcher = null) => new(
        _database.DataSource,
        dispatcher ?? _dispatcher,
        _options,
        TimeProvider.System,
        NullLogger<RunSweeper>.Instance);

    internal static async Task<Guid> InsertRunAsync(
        TestDatabase database, string status, int attempt = 0, int maxAttempts = 3, string? heartbeatAgo = null,
        string? worker = null, string queuedAgo = "1 hour", string? dispatchedAgo = null, string? finishedAgo = null)
    {
        return await database.ScalarAsync<Guid>(
            """
            INSERT INTO runs (kind, status, attempt, max_attempts, worker_name, heartbeat_at, queued_at, dispatched_at,
                              started_at, finished_at, created_by)
            VALUES ('TrainTaskModel', $1, $2, $3, $4,
                    now() - $5::interval, now() - $6::interval, now() - $7::interval,
                    CASE WHEN $1 = 'Queued' THEN NULL ELSE now() - interval '1 hour' END,
                    now() - $8::interval, 'tests')
            RETURNING id
            """,
            status, attempt, maxAttempts, (object?)worker ?? DBNull.Value,
            (object?)heartbeatAgo ?? DBNull.Value, queuedAgo,
            (object?)dispatchedAgo ?? DBNull.Value, (object?)finishedAgo ?? DBNull.Value);
    }

    private Task<Guid> InsertRunAsync(
        string status, int attempt = 0, int maxAttempts = 3, string? heartbeatAgo = null, string? worker = null,
        string queuedAgo = "1 hour", string? dispatchedAgo = null) =>
        InsertRunAsync(_database, status, attempt, maxAttempts, heartbeatAgo, worker, queuedAgo, dispatchedAgo);

    private async Task<string> StatusAsync(Guid id) => (await _database.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", id))!;

    private async Task<(string Level, string Message)> SingleEventAsync(Guid id)
    {
        var count = await _database.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1", id);
        Assert.Equal(1L, count);
        var level = await _database.ScalarAsync<string>("SELECT level FROM run_events WHERE run_id = $1", id);
        var message = await _database.ScalarAsync<string>("SELECT message FROM run_events WHERE run_id = $1", id);
        return (level!, message!);
    }

    private sealed class ThrowingDispatcher(Guid failFor, Web.Runs.IRunDispatcher inner) : Web.Runs.IRunDispatcher
    {
        public Task<bool> DispatchAsync(Guid runId, CancellationToken cancellationToken) =>
            runId == failFor ? throw new InvalidOperationException("broker unreachable") : inner.DispatchAsync(runId, cancellationToken);

        public Task DispatchRankAsync(Guid runId, int attempt, int rank, CancellationToken cancellationToken) =>
            inner.DispatchRankAsync(runId, attempt, rank, cancellationToken);
    }
}
