using RabbitMQ.Client;
using SlmOps.Contracts;

namespace SlmOps.IntegrationTests;

/// <summary>A host with no worker yet, and no sweeper that could hide a lost command by re-dispatching it.</summary>
public sealed class HostWithoutWorker : PipelineHost
{
    protected override bool StartsWorkerWithHost => false;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => [new("Sweeper:Enabled", "false")];
}

public sealed class LateWorkerTests(HostWithoutWorker host) : IClassFixture<HostWithoutWorker>
{
    [Fact]
    public async Task A_run_submitted_before_any_worker_started_waits_in_its_queue_and_runs_when_one_starts()
    {
        using var client = host.CreateClient();
        var datasetVersion = await host.SeedDatasetAsync("late-corpus", PipelineTests.Corpus());
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = datasetVersion, tokenizerKind = "char-pair" }, "late-prepare");

        Assert.Equal(1u, await MessagesWaitingAsync(host.QueuePrefix + "cpu"));

        await host.StartWorkerAsync();
        var done = await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);
        Assert.Equal(1, done.Attempt);
    }

    private static async Task<uint> MessagesWaitingAsync(string queue)
    {
        var factory = new ConnectionFactory
        {
            HostName = TestStack.RabbitMqHost,
            Port = int.Parse(TestStack.RabbitMqPort),
            VirtualHost = TestStack.RabbitMqVirtualHost,
            UserName = TestStack.RabbitMqUsername,
            Password = TestStack.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var declared = await channel.QueueDeclarePassiveAsync(queue); // throws 404 NOT_FOUND if nobody declared it
        return declared.MessageCount;
    }
}
