using SlmOps.Contracts;

namespace SlmOps.IntegrationTests;

/// <summary>
/// A host on a private RabbitMQ node that the test may stop (the shared broker serves other test assemblies),
/// no worker until the test starts one, and no sweeper: a command lost by the broker would stay lost.
/// </summary>
public sealed class PrivateBrokerFixture : IAsyncLifetime
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
