using SlmOps.Contracts;

namespace SlmOps.IntegrationTests;

/// <summary>
/// A host on a private RabbitMQ node that the test may stop (the shared broker serves other test assemblies),
/// no worker until the test starts one, and no sweeper: a command lost by the broker would stay lost.
/// </summary>
public class PrivateBrokerFixture : IAsyncLifetime
{
    internal PrivateRabbitMq Broker { get; } = new();
    public PipelineHost Host { get; }

    public PrivateBrokerFixture() => Host = new BrokerHost(Broker);

    public async Task InitializeAsync()
    {
        await Broker.StartAsync();
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        try { await Host.DisposeAsync(); }
        finally { await Broker.DisposeAsync(); }
    }

    private sealed class BrokerHost(PrivateRabbitMq broker) : PipelineHost
    {
        protected override bool StartsWorkerWithHost => false;

        protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
            broker.Settings.Append(new("Sweeper:Enabled", "false"));
    }
}

/// <summary>Issue 5 item 8: queued commands live through a broker restart (durable queue, persistent messages).</summary>
public sealed class BrokerRestartTests(PrivateBrokerFixture fixture) : IClassFixture<PrivateBrokerFixture>
{
    private const int Runs = 3;

    [Fact]
    public async Task Runs_queued_while_the_broker_restarts_all_succeed_once_a_worker_starts()
    {
        var host = fixture.Host;
        using var client = host.CreateClient();
        var runs = new List<RunView>();
        for (var i = 0; i < Runs; i++)
        {
            var datasetVersion = await host.SeedDatasetAsync($"restart-{i}", PipelineTests.Corpus());
            runs.Add(await host.SubmitAsync(client, "prepare", new { datasetVersionId = datasetVersion }, $"restart-prepare-{i}"));
        }
        var queue = host.QueuePrefix + "cpu";
        await WaitForMessagesAsync(queue, "before the restart");

        await fixture.Broker.StopAsync();
        await fixture.Broker.StartAsync();
        await WaitForMessagesAsync(queue, "after the restart");

        await host.StartWorkerAsync();
        foreach (var run in runs)
        {
            var done = await host.WaitForAsync(client, run.Id, RunStatus.Succeeded);
            Assert.Equal(1, done.Attempt);
        }
    }

    private async Task WaitForMessagesAsync(string queue, string when)
    {
        using var deadline = new CancellationTokenSource(PipelineHost.Deadline);
        uint waiting;
        while ((waiting = await fixture.Broker.MessagesWaitingAsync(queue)) < Runs && !deadline.IsCancellationRequested)
            await Task.Delay(250, CancellationToken.None);
        Assert.True(waiting == Runs, $"{waiting} of {Runs} run commands waiting in {queue} {when}");
    }
}

/// <summary>A private broker of its own for <see cref="BrokerDropTests"/> (the restart test needs its queue to itself).</summary>
public sealed class BrokerDropFixture : PrivateBrokerFixture;

public sealed class BrokerDropTests(BrokerDropFixture fixture) : IClassFixture<BrokerDropFixture>
{
    /// <summary>
    /// Issue 11: the broker goes away while a worker trains and comes back. The worker reports over HTTP, so the run
    /// goes on; the command's redelivery after the reconnect is refused by the claim; the run finishes on its first
    /// attempt with every metric step stored once.
    /// </summary>
    [Fact]
    public async Task A_run_whose_broker_drops_mid_training_finishes_once_with_every_metric_step_once()
    {
        const int steps = 200;
        var host = fixture.Host;
        using var client = host.CreateClient();
        await host.StartWorkerAsync();
        var datasetVersion = await host.SeedDatasetAsync("broker-drop", PipelineTests.Corpus());
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = datasetVersion }, "broker-drop-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);
        var run = await host.SubmitAsync(client, "pretrain", new
        {
            datasetVersionId = datasetVersion, baseModelName = "it-broker-drop", preset = "tiny-fft",
            training = new { steps, batchSize = 4, blockSize = 32, evalEvery = 0, checkpointEvery = 25, seed = 5 },
        }, "broker-drop-pretrain");
        using (var deadline = new CancellationTokenSource(PipelineHost.Deadline))
        {
            while (await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1", run.Id) == 0)
                await Task.Delay(100, deadline.Token);
        }

        await fixture.Broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await fixture.Broker.StartAsync();

        var done = await host.WaitForAsync(client, run.Id, RunStatus.Succeeded);
        Assert.Equal(1, done.Attempt);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM base_model_versions WHERE run_id = $1", run.Id));
        foreach (var key in new[] { "loss", "learning_rate" })
        {
            Assert.Equal((long)steps, await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1 AND key = $2", run.Id, key));
            Assert.Equal((long)steps, await host.ScalarAsync<long>("SELECT count(DISTINCT step) FROM run_metrics WHERE run_id = $1 AND key = $2", run.Id, key));
        }
    }
}
