using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SlmOps.Contracts.Events;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeper;

namespace SlmOps.IntegrationTests;

/// <summary>Issue 5: a run the sweeper ends is announced on the bus like one a worker ends.</summary>
public sealed class SweeperEventsTests(HostWithoutWorker host) : IClassFixture<HostWithoutWorker>
{
    [Fact]
    public async Task A_lost_run_with_no_attempts_left_is_published_as_RunFailed_and_a_cancelled_one_as_RunCancelled()
    {
        var failed = new TaskCompletionSource<RunFailed>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource<RunCancelled>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lost = await InsertLostRunAsync(attempt: 3, cancelRequested: false);
        var lostCancelled = await InsertLostRunAsync(attempt: 1, cancelRequested: true);
        var bus = host.Services.GetRequiredService<IBus>();
        var listener = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("sweeper-events-test"), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.Handler<RunFailed>(context => { if (context.Message.RunId == lost) failed.TrySetResult(context.Message); return Task.CompletedTask; });
            endpoint.Handler<RunCancelled>(context => { if (context.Message.RunId == lostCancelled) cancelled.TrySetResult(context.Message); return Task.CompletedTask; });
        });
        await listener.Ready;
        try
        {
            await using var database = NpgsqlDataSource.Create(host.ConnectionString);
            var options = new SweeperOptions { HeartbeatTimeout = TimeSpan.FromMinutes(1) };
            var sweeper = new RunSweeper(database, host.Services.GetRequiredService<IRunDispatcher>(), options, TimeProvider.System,
                NullLogger<RunSweeper>.Instance, bus);

            var result = await sweeper.SweepAsync(CancellationToken.None);

            Assert.Equal(new[] { lost, lostCancelled }.Order(), result.Failed.Order());
            var failure = await failed.Task.WaitAsync(PipelineHost.Deadline);
            Assert.False(failure.WillRetry);
            Assert.Contains("stopped heart-beating", failure.Error);
            Assert.Equal(failure.Error, await host.ScalarAsync<string>("SELECT error FROM runs WHERE id = $1", lost));
            await cancelled.Task.WaitAsync(PipelineHost.Deadline);
        }
        finally
        {
            await listener.StopAsync();
        }
    }

    private Task<Guid> InsertLostRunAsync(int attempt, bool cancelRequested) => host.ScalarAsync<Guid>(
        """
        INSERT INTO runs (kind, status, attempt, max_attempts, worker_name, heartbeat_at, started_at, cancel_requested_at, created_by)
        VALUES ('TrainTaskModel', 'Running', $1, 3, 'gone-worker', now() - interval '10 minutes', now() - interval '1 hour',
                CASE WHEN $2 THEN now() - interval '5 minutes' END, 'tests')
        RETURNING id
        """, attempt, cancelRequested);
}
