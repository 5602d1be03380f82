using RabbitMQ.Client;

namespace SlmOps.TestSupport;

/// <summary>Removes the run queues and exchanges a test class declared under its own prefix, so the dev broker does not fill up.</summary>
public static class QueueCleanup
{
    public static async Task DeleteAsync(string prefix)
    {
        var factory = new ConnectionFactory
        {
            HostName = TestStack.RabbitMqHost, Port = int.Parse(TestStack.RabbitMqPort), VirtualHost = TestStack.RabbitMqVirtualHost,
            UserName = TestStack.RabbitMqUsername, Password = TestStack.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var device in new[] { "cpu", "cuda" })
        {
            var name = prefix + device;
            await channel.QueueDeleteAsync(name);
            await channel.ExchangeDeleteAsync(name);
        }
    }
}
